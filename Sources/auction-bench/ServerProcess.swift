import Foundation

/// An `auction serve` process on a free loopback port, with its own temporary
/// folder (the SQLite file, its stderr), started for one scenario and stopped after.
final class ServerProcess: @unchecked Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let process = Process()
    private let folder: URL
    private let errorLog: URL

    var pid: Int32 { process.processIdentifier }

    /// The `auction` executable built next to this one (same build folder).
    static func defaultExecutable() -> URL {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("auction")
    }

    /// `role`: the server's `server.role` (all, api or gateway), for the cluster runs.
    init(executable: URL, backends: BackendChoice, socketBufferLimit: Int, role: String = "all") throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw Failure(description: "\(executable.path) is not built: swift build --product auction")
        }
        port = try FreePort.next()
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("auction-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        errorLog = folder.appendingPathComponent("server.stderr")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)

        var env = ProcessInfo.processInfo.environment
        env.merge(backends.environment(sqlitePath: folder.appendingPathComponent("bench.sqlite").path)) { $1 }
        env["APP_SETTINGS"] = "dev"
        // An empty profile: the settings come from the environment and the defaults only.
        try Data("{}".utf8).write(to: folder.appendingPathComponent("dev.json"))
        env["CONFIG_DIR"] = folder.path
        env["HTTP_HOST"] = "127.0.0.1"
        env["HTTP_PORT"] = String(port)
        env["JWT_SECRET_KEY"] = "auction-bench-secret-0123456789-abcdefghijklmnop"
        env["AUTH_BCRYPT_COST"] = "4"
        env["LOG_LEVEL"] = "error"
        env["HUB_SOCKET_BUFFER_LIMIT"] = String(socketBufferLimit)
        env["SERVER_ROLE"] = role
        // The fan-out run opens 10,000 sockets from this one address.
        env["HUB_SOCKETS_PER_ADDRESS"] = "1000000"
        process.executableURL = executable
        process.arguments = ["serve"]
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorLog)
    }

    /// Starts the process and waits (at most a minute) until `/healthz` answers.
    func start() async throws {
        try process.run()
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            guard process.isRunning else {
                throw Failure(description: "the server exited with status \(process.terminationStatus): \(errors())")
            }
            if let connection = try? await HTTPConnection.connect(host: "127.0.0.1", port: port) {
                let healthy = await AuctionAPI(connection: connection).healthy()
                await connection.close()
                if healthy { return }
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        await stop()
        throw Failure(description: "the server on port \(port) did not answer /healthz within 60 s")
    }

    func sample() -> ProcessSample? {
        ProcessSample.read(pid: pid)
    }

    /// What the server wrote on stderr (its errors; LOG_LEVEL=error).
    func errors() -> String {
        let text = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    /// SIGTERM, up to 15 s for a graceful stop, then SIGKILL; removes the folder.
    func stop() async {
        if process.isRunning {
            process.terminate()
            let deadline = ContinuousClock.now + .seconds(15)
            while process.isRunning, ContinuousClock.now < deadline {
                try? await Task.sleep(for: .milliseconds(50))
            }
            if process.isRunning { kill(pid, SIGKILL) }
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: folder)
    }
}
