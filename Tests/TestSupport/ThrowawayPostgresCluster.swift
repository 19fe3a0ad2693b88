import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A PostgreSQL cluster of its own, for tests that stop and restart the server.
/// Driven through scripts/lib/postgres.sh (postgres_start / pause / resume / stop),
/// so the test uses the same set-up as everything else.
public struct ThrowawayPostgresCluster: Sendable {
    public struct ScriptFailed: Error, CustomStringConvertible {
        let command: String
        let status: Int32
        let output: String
        public var description: String { "postgres.sh \(command) failed (\(status)): \(output)" }
    }

    public let url: URL
    let directory: String
    let port: String
    let binDirectory: String

    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/lib/postgres.sh").path

    /// Starts a new cluster, independent of the one in `TEST_POSTGRES_URL`.
    public static func start() async throws -> ThrowawayPostgresCluster {
        let output = try await run(
            "postgres_start && printf '%s\\n' \"$TEST_POSTGRES_URL\" \"$PG_TEST_DIR\" \"$PG_TEST_PORT\" \"$PG_TEST_BIN\"",
            environment: [:]
        )
        let lines = output.split(separator: "\n").map(String.init)
        guard lines.count >= 4, let url = URL(string: lines[lines.count - 4]) else {
            throw ScriptFailed(command: "postgres_start", status: 0, output: output)
        }
        return ThrowawayPostgresCluster(
            url: url, directory: lines[lines.count - 3], port: lines[lines.count - 2],
            binDirectory: lines[lines.count - 1]
        )
    }

    /// Stops the server (fast shutdown, sessions ended), keeping data and port.
    public func pause() async throws { _ = try await Self.run("postgres_pause", environment: environment) }
    /// Starts it again on the same port.
    public func resume() async throws { _ = try await Self.run("postgres_resume", environment: environment) }
    /// Stops it and removes its data.
    public func stop() async { _ = try? await Self.run("postgres_stop", environment: environment) }

    private var environment: [String: String] {
        ["PG_TEST_DIR": directory, "PG_TEST_PORT": port, "PG_TEST_BIN": binDirectory]
    }

    /// Runs `commands` in bash after sourcing the script, without blocking a
    /// cooperative thread. The variables of the outer test cluster are removed so
    /// that postgres_start makes a new one.
    ///
    /// Spawned and reaped by hand (posix_spawn, waitpid on a dispatch thread):
    /// Foundation's `Process` left the child a zombie inside the test runner and
    /// never called its termination handler.
    private static func run(_ commands: String, environment extra: [String: String]) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        for name in ["PG_TEST_DIR", "PG_TEST_PORT", "PG_TEST_BIN", "TEST_POSTGRES_URL"] {
            environment[name] = nil
        }
        environment.merge(extra) { _, new in new }
        // Output goes to a file, not a pipe: the server started by the script
        // outlives it and would keep a pipe open.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("pg-script-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: log) }
        let arguments = ["/bin/bash", "-c", "source \"$0\" && \(commands)", script]
        let pid = try spawn(arguments, environment: environment.map { "\($0.key)=\($0.value)" }, output: log)
        let status: Int32 = await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw ScriptFailed(command: commands, status: status, output: output)
        }
        return output
    }

    private static func spawn(_ arguments: [String], environment: [String], output: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, arguments[0], &actions, nil, argv, envp)
        guard result == 0 else {
            throw ScriptFailed(command: arguments.joined(separator: " "), status: result, output: "posix_spawn failed")
        }
        return pid
    }
}
