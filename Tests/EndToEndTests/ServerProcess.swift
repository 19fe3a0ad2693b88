import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Something that answers the HTTP API: a server process, or a proxy in front of some.
protocol HTTPEndpoint: Sendable {
    var baseURL: URL { get }
}

/// An `auction serve` process on a free loopback port, for tests across processes.
final class ServerProcess: HTTPEndpoint, @unchecked Sendable {
    let port: Int
    let child: ChildProcess
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var socketBase: String { "ws://127.0.0.1:\(port)" }

    init(environment: [String: String], port: Int? = nil) throws {
        self.port = try port ?? LocalSocket.freePort()
        var env = environment
        env["HTTP_HOST"] = "127.0.0.1"
        env["HTTP_PORT"] = String(self.port)
        env["AUTH_BCRYPT_COST"] = env["AUTH_BCRYPT_COST"] ?? "4"
        env["LOG_LEVEL"] = env["LOG_LEVEL"] ?? "error"
        env["HUB_RESYNC_INTERVAL_MS"] = env["HUB_RESYNC_INTERVAL_MS"] ?? "300"
        // The tests sign up many users from 127.0.0.1 and bid in bursts; a test of the limits sets this.
        env["LIMITS_ENABLED"] = env["LIMITS_ENABLED"] ?? "false"
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

    /// Sends `signal` (SIGKILL for a crash, SIGTERM for a drain) and returns at once.
    func send(_ signal: Int32) { kill(child.process.processIdentifier, signal) }

    /// The exit status, or nil while it still runs after `seconds`.
    func exitStatus(within seconds: Double) async -> Int32? { await child.exitStatus(within: seconds) }
}

extension ServerProcess {
    /// The environment of a lone server on the PostgreSQL at `url`, broker and sessions in memory.
    static func alone(on url: URL) -> [String: String] {
        [
            "STORAGE_KIND": "postgres", "PGHOST": url.host ?? "127.0.0.1", "PGPORT": String(url.port ?? 5432),
            "PGUSER": url.user ?? "", "PGPASSWORD": url.password ?? "", "PGDATABASE": String(url.path.dropFirst()),
            "BROKER_KIND": "memory", "SESSIONS_KIND": "memory",
        ]
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
