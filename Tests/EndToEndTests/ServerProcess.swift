import Foundation
import Synchronization
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Something that answers the HTTP API: a server process, or a proxy in front of some.
protocol HTTPEndpoint: Sendable {
    var baseURL: URL { get }
}

/// An `auction serve` process on loopback, for tests across processes. Unless a
/// port is given (a restart on the port of an earlier server), it binds port 0
/// and reports the port the system chose in a file: a free port picked here
/// could be taken by another process before the server bound it.
final class ServerProcess: HTTPEndpoint, @unchecked Sendable {
    let child: ChildProcess
    private let portFile: URL
    private let bound: Mutex<Int?>
    /// The port listened on; known once `start()` has returned.
    var port: Int {
        guard let port = bound.withLock({ $0 }) else { preconditionFailure("the server has not started yet") }
        return port
    }
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var socketBase: String { "ws://127.0.0.1:\(port)" }

    init(environment: [String: String], port: Int? = nil) throws {
        bound = Mutex(port)
        portFile = FileManager.default.temporaryDirectory.appendingPathComponent("auction-port-\(UUID().uuidString)")
        var env = environment
        env["HTTP_HOST"] = "127.0.0.1"
        env["HTTP_PORT"] = String(port ?? 0)
        env["AUTH_BCRYPT_COST"] = env["AUTH_BCRYPT_COST"] ?? "4"
        env["LOG_LEVEL"] = env["LOG_LEVEL"] ?? "error"
        env["HUB_RESYNC_INTERVAL_MS"] = env["HUB_RESYNC_INTERVAL_MS"] ?? "300"
        // The tests sign up many users from 127.0.0.1 and bid in bursts; a test of the limits sets this.
        env["LIMITS_ENABLED"] = env["LIMITS_ENABLED"] ?? "false"
        child = ChildProcess(
            try Executables.url("auction"), arguments: ["serve", "--port-file", portFile.path], environment: env)
    }

    deinit { try? FileManager.default.removeItem(at: portFile) }

    /// Starts the process and waits (bounded) until it reports its port and `/healthz` answers.
    func start() async throws {
        try? FileManager.default.removeItem(at: portFile)
        try child.start()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if !child.process.isRunning {
                throw Failure("server exited with \(child.process.terminationStatus): \(child.errorOutput())")
            }
            if let text = try? String(contentsOf: portFile, encoding: .utf8),
                let reported = Int(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                bound.withLock { $0 = reported }
                if let (status, _) = try? await HTTP.request("GET", baseURL.appendingPathComponent("healthz")),
                    status == 200
                {
                    return
                }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("server did not report its port and become healthy within 60 s")
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
