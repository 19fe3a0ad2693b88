import Foundation
import TestSupport

/// An `auction serve` process on a free loopback port, for tests across processes.
final class ServerProcess: @unchecked Sendable {
    let port: Int
    let child: ChildProcess
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var socketBase: String { "ws://127.0.0.1:\(port)" }

    init(environment: [String: String], port: Int? = nil) throws {
        self.port = try port ?? FreePort.next()
        var env = environment
        env["HTTP_HOST"] = "127.0.0.1"
        env["HTTP_PORT"] = String(self.port)
        env["AUTH_BCRYPT_COST"] = env["AUTH_BCRYPT_COST"] ?? "4"
        env["LOG_LEVEL"] = env["LOG_LEVEL"] ?? "error"
        env["HUB_RESYNC_INTERVAL_MS"] = env["HUB_RESYNC_INTERVAL_MS"] ?? "300"
        child = ChildProcess(try Executables.url("auction"), arguments: ["serve"], environment: env)
    }

    /// Starts the process and waits (bounded) until `/healthz` answers.
    func start() async throws {
        try child.start()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !child.process.isRunning {
                throw Failure("server exited with \(child.process.terminationStatus): \(child.errorOutput())")
            }
            if let (status, _) = try? await HTTP.request("GET", baseURL.appendingPathComponent("healthz")), status == 200 {
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("server on port \(port) did not become healthy within 60 s")
    }

    func stop() { child.stop() }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

enum FreePort {
    /// A port that was free a moment ago (bind to 0, read it, close).
    static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure("socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure("bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
