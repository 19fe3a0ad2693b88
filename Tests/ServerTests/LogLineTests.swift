@testable import AuctionServer
import Foundation
import Logging
import Synchronization
import Testing

@Suite("Log lines")
struct LogLineTests {
    static let time = Date(timeIntervalSince1970: 1_764_585_000.123)

    static func object(_ line: String) throws -> [String: Any] {
        #expect(line.hasSuffix("\n") && line.dropLast().contains("\n") == false)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func jsonLineParsesWithItsFieldsAndMillisecondTime() throws {
        let line = LogLine(
            time: Self.time, level: .warning, label: "auction", message: "said \"no\"\nthen left\\",
            metadata: ["user": "a\tb", "count": .stringConvertible(3)])
        let object = try Self.object(line.json)
        #expect(object["time"] as? String == "2025-12-01T10:30:00.123Z")
        #expect(object["level"] as? String == "warning" && object["label"] as? String == "auction")
        #expect(object["message"] as? String == "said \"no\"\nthen left\\")
        #expect(object["user"] as? String == "a\tb" && object["count"] as? String == "3")
    }

    @Test func nestedMetadataIsFlattenedAndFixedKeysAreNotShadowed() throws {
        let line = LogLine(
            time: Self.time, level: .info, label: "auction", message: "m",
            metadata: ["db": ["host": "h", "ports": ["1", "2"]], "message": "mine"])
        let object = try Self.object(line.json)
        #expect(object["db.host"] as? String == "h")
        #expect(object["db.ports.0"] as? String == "1" && object["db.ports.1"] as? String == "2")
        #expect(object["message"] as? String == "m" && object["metadata.message"] as? String == "mine")
    }

    @Test func textLineKeepsItsShape() {
        let line = LogLine(time: Self.time, level: .info, label: "auction", message: "hello", metadata: ["b": "2", "a": "1"])
        #expect(line.text == "2025-12-01T10:30:00.123Z info auction: a=1 b=2 hello\n")
    }

    @Test func handlerWritesJSONWithItsAndTheEventsMetadata() throws {
        let lines = LogLines()
        var logger = Logger(label: "test") { LineLogHandler(label: $0, format: .json, output: lines.output) }
        logger[metadataKey: "hb.request.id"] = "r1"
        logger.info("hi", metadata: ["status": "404"])
        logger.debug("below the level")
        let written = lines.all
        #expect(written.count == 1)
        let object = try Self.object(try #require(written.first))
        #expect(object["hb.request.id"] as? String == "r1" && object["status"] as? String == "404")
        #expect(object["label"] as? String == "test" && object["message"] as? String == "hi")
    }
}

/// The lines a handler wrote, for tests.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var output: LogOutput { LogOutput { line in self.lines.withLock { $0.append(line) } } }
    var all: [String] { lines.withLock { $0 } }
    var objects: [[String: Any]] {
        all.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }
}
