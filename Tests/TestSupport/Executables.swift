import Foundation
import Synchronization

/// The project's executables, built next to the test bundle by `swift build --build-tests`.
public enum Executables {
    public static func url(_ name: String) throws -> URL {
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent(".build/debug"),
        ]
        for directory in candidates {
            let url = directory.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw NotBuilt(name: name)
    }

    public struct NotBuilt: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "\(name) is not built: run scripts/test (swift build --build-tests)" }
    }
}

/// A child process whose standard output is read line by line.
///
/// Started with `Spawned` (not Foundation's `Process`, whose `run()` crashes now
/// and then on Linux), and its pipes read by a thread each with blocking reads,
/// not with a `readabilityHandler`: libdispatch on Linux can crash in
/// `_dispatch_event_loop_drain` when such a handler's descriptor is closed
/// while registered (a signal 11 of a whole run here; the crash that made
/// swift-subprocess leave DispatchIO).
public final class ChildProcess: @unchecked Sendable {
    private let executable: URL
    private let arguments: [String]
    private let environment: [String: String]
    private let started = Mutex<Spawned?>(nil)
    public let lines: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let errorText = ErrorText()

    public init(_ executable: URL, arguments: [String], environment: [String: String] = [:]) {
        self.executable = executable
        self.arguments = arguments
        self.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        (lines, continuation) = AsyncStream<String>.makeStream()
    }

    /// The running child (after `start`).
    public var process: Spawned {
        guard let process = started.withLock({ $0 }) else { preconditionFailure("ChildProcess used before start()") }
        return process
    }

    public func start() throws {
        let (output, errors) = (try ChildDescriptors.pipe(), try ChildDescriptors.pipe())
        let input = try ChildDescriptors.nullDevice()
        do {
            defer { close(input); close(output.write); close(errors.write) }
            let process = try Spawned(
                executable, arguments, environment: environment, input: input, output: output.write, errors: errors.write)
            started.withLock { $0 = process }
        } catch {
            close(output.read)
            close(errors.read)
            throw error
        }
        let (continuation, buffer) = (self.continuation, LineBuffer())
        Self.read(output.read) { data in
            for line in buffer.append(data) { continuation.yield(line) }
        } atEnd: {
            continuation.finish()
        }
        let errorText = self.errorText
        Self.read(errors.read) { errorText.append($0) } atEnd: { errorText.end() }
    }

    /// Reads `descriptor` to its end on a thread of its own, then closes it.
    private static func read(_ descriptor: Int32, _ chunk: @escaping @Sendable (Data) -> Void, atEnd: @escaping @Sendable () -> Void) {
        let thread = Thread {
            var bytes = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                chunk(Data(bytes[0..<count]))
            }
            close(descriptor)
            atEnd()
        }
        thread.start()
    }

    /// What the process wrote on stderr: all of it once it ended, else what came
    /// so far (waiting, as a read would, until something did). Blocks its thread.
    public func errorOutput() -> String { errorText.text(whole: !process.isRunning) }

    /// Waits for the process to end without blocking a thread of the cooperative
    /// pool (which has one thread per core: a blocking wait can starve the very
    /// server the process talks to). Nil when it still runs after `seconds`.
    public func exitStatus(within seconds: Double) async -> Int32? {
        await process.exit(within: seconds)
    }

    public func stop() {
        guard let process = started.withLock({ $0 }) else { return }
        process.terminate()
        process.waitUntilExit()
    }

    deinit { stop() }
}

/// Bytes of stderr, gathered as they come.
private final class ErrorText: @unchecked Sendable {
    private var data = Data()
    private var ended = false
    private let condition = NSCondition()

    func append(_ chunk: Data) {
        condition.lock()
        data.append(chunk)
        condition.broadcast()
        condition.unlock()
    }

    func end() {
        condition.lock()
        ended = true
        condition.broadcast()
        condition.unlock()
    }

    /// The text once there is some (as a blocking read would), or all of it up
    /// to the end of file when `whole`; waits at most a minute.
    func text(whole: Bool) -> String {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(60)
        while !ended && (whole || data.isEmpty) {
            if !condition.wait(until: deadline) { break }
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Splits a byte stream into lines.
private final class LineBuffer: @unchecked Sendable {
    private var pending = Data()
    private let lock = NSLock()

    func append(_ data: Data) -> [String] {
        lock.lock()
        defer { lock.unlock() }
        pending.append(data)
        var lines: [String] = []
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            lines.append(String(decoding: pending[pending.startIndex..<newline], as: UTF8.self))
            pending.removeSubrange(pending.startIndex...newline)
        }
        return lines
    }
}
