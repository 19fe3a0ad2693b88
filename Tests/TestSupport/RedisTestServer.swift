import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A private redis-server for tests that stop, freeze or restart it: its own
/// reserved port (no other process takes it, even while the server is down between
/// a kill and a restart) and temp folder, no persistence. Killed when released.
public final class RedisTestServer: @unchecked Sendable {  // used by one test at a time
    public let port: Int
    public let directory: URL
    private let reservation: LocalSocket.Reserved
    private let extraArguments: [String]
    private var process: Spawned?

    public var url: URL { URL(string: "redis://127.0.0.1:\(port)")! }

    public init(extraArguments: [String] = []) async throws {
        reservation = try LocalSocket.Reserved()
        port = reservation.port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        self.extraArguments = extraArguments
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await start()
    }

    /// Starts redis-server on the port (again) and waits until it answers.
    public func start() async throws {
        let (input, sink) = (try ChildDescriptors.nullDevice(), try ChildDescriptors.nullDevice(writing: true))
        defer { close(input); close(sink) }
        let process = try Spawned(
            URL(fileURLWithPath: "/usr/bin/env"),
            [
                "redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
                "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
            ] + extraArguments,
            input: input, output: sink, errors: sink)
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while !LocalSocket.accepts(port: port) {
            guard process.isRunning else { throw Failure(reason: "redis-server exited (is it installed?)") }
            guard ContinuousClock.now < deadline else { throw Failure(reason: "redis-server did not listen in 10 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    public func kill() {
        guard let process else { return }
        signal(SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Sends a signal (SIGSTOP freezes it: connections stay open, nothing answers).
    public func signal(_ number: Int32) {
        guard let process, process.isRunning else { return }
        _ = Glibc.kill(process.processIdentifier, number)
    }

    deinit {
        if let process, process.isRunning {
            _ = Glibc.kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }
}

