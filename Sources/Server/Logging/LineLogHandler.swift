import Foundation
import Logging

/// One line per message on stderr, as text or JSON (`LogSettings.Format`). Like
/// swift-log's StreamLogHandler, but the metadata is rendered when a message is
/// written rather than each time it is set: the server sets a request id on every
/// request, and StreamLogHandler rendering it there cost about 2.5% of the
/// server's CPU on the bid path.
public struct LineLogHandler: LogHandler {
    private let label: String
    private let format: LogSettings.Format
    private let output: LogOutput
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]

    public init(label: String, format: LogSettings.Format = .text, output: LogOutput = .standardError) {
        self.label = label
        self.format = format
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        let line = LogLine(time: Date(), level: event.level, label: label, message: event.message.description, metadata: merged)
        output.write(format == .json ? line.json : line.text)
    }
}

/// Where the lines go: stderr, or a test's buffer.
public struct LogOutput: Sendable {
    public let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    public static let standardError = LogOutput { FileHandle.standardError.write(Data($0.utf8)) }
}
