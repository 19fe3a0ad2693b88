import Foundation
import RedisClient
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A private redis-server for tests that stop, freeze or restart it: its own
/// free port and temp folder, no persistence. Killed when released.
final class RedisTestServer {
    let port: Int
    let directory: URL
    private let extraArguments: [String]
    private var process: Process?

    var url: URL { URL(string: "redis://127.0.0.1:\(port)")! }
    var configuration: RedisConfiguration { RedisConfiguration(host: "127.0.0.1", port: port) }

    init(extraArguments: [String] = []) async throws {
        port = try LocalSocket.freePort()
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("redis-test-\(UUID().uuidString)")
        self.extraArguments = extraArguments
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try await start()
    }

    /// Starts redis-server on the port (again) and waits until it answers.
    func start() async throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "redis-server", "--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no",
            "--dir", directory.path, "--logfile", directory.appendingPathComponent("redis.log").path,
        ] + extraArguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        let deadline = ContinuousClock.now + .seconds(10)
        while !LocalSocket.accepts(port: port) {
            guard process.isRunning else { throw Failure(reason: "redis-server exited (is it installed?)") }
            guard ContinuousClock.now < deadline else { throw Failure(reason: "redis-server did not listen in 10 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Kills the server at once (SIGKILL), as a crash would.
    func kill() {
        guard let process else { return }
        signal(SIGKILL)
        process.waitUntilExit()
        self.process = nil
    }

    /// Sends a signal (SIGSTOP freezes it: connections stay open, nothing answers).
    func signal(_ number: Int32) {
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

    struct Failure: Error, CustomStringConvertible {
        let reason: String
        var description: String { reason }
    }
}

/// Plain sockets for tests: a free port, and a server that never answers.
enum LocalSocket {
    struct Failure: Error {}

    /// A TCP port on 127.0.0.1 that nothing listens on (right now).
    static func freePort() throws -> Int {
        let descriptor = try boundSocket()
        defer { close(descriptor) }
        return try port(of: descriptor)
    }

    /// Whether something accepts TCP connections on the port.
    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    /// A listening socket that never accepts: connections complete (the kernel's
    /// backlog) but nothing is ever read or answered, like a hung server.
    final class Silent {
        let port: Int
        private let descriptor: Int32

        init() throws {
            descriptor = try LocalSocket.boundSocket()
            guard listen(descriptor, 64) == 0 else { throw Failure() }
            port = try LocalSocket.port(of: descriptor)
        }

        var url: URL { URL(string: "redis://127.0.0.1:\(port)")! }

        deinit { close(descriptor) }
    }

    fileprivate static func boundSocket() throws -> Int32 {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure() }
        var address = loopback(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            throw Failure()
        }
        return descriptor
    }

    fileprivate static func port(of descriptor: Int32) throws -> Int {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let status = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        guard status == 0 else { throw Failure() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }
}

/// How long `body` takes.
func measure(_ body: () async throws -> Void) async rethrows -> Duration {
    let start = ContinuousClock.now
    try await body()
    return ContinuousClock.now - start
}
