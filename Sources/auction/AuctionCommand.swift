import ArgumentParser
import AuctionServer
import Foundation
import Logging

@main
struct AuctionCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auction",
        abstract: "The real-time auction server.",
        version: ServerVersion.current,
        subcommands: [Serve.self, Migrate.self, Check.self],
        defaultSubcommand: Serve.self
    )
}

/// Flags that override the configuration keys of the same meaning.
struct ServerFlags: ParsableArguments {
    @Option(help: "Address to listen on (http.host, HTTP_HOST).") var host: String?
    @Option(help: "Port to listen on (http.port, HTTP_PORT).") var port: String?
    @Option(help: "all | api | gateway (server.role, SERVER_ROLE).") var role: String?
    @Flag(name: .customLong("auto-migrate"), help: "Apply pending migrations on start (storage.autoMigrate).")
    var autoMigrate = false

    var values: [String: String] {
        var values: [String: String] = [:]
        values["http.host"] = host
        values["http.port"] = port
        values["server.role"] = role
        if autoMigrate { values["storage.autoMigrate"] = "true" }
        return values
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Serve the HTTP and WebSocket API.")
    @OptionGroup var flags: ServerFlags
    @Option(
        name: .customLong("port-file"),
        help: "Once listening, write the port to this file (with --port 0, the one the system chose).")
    var portFile: String?

    func run() async throws {
        try await reportingFailure {
            let settings = try await SettingsLoader(flags: flags.values).load()
            let logger = makeLogger(settings.log)
            if settings.jwt.secret == JWTSettings.devSecret {
                logger.warning("jwt.secret is the development value: set JWT_SECRET_KEY outside development")
            }
            MetricsBootstrap.bootstrap()
            let app = try await buildApplication(settings: settings, logger: logger) { [portFile] port in
                guard let portFile else { return }
                // Atomic: a reader polling the file never sees it half written.
                do {
                    try Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic)
                } catch {
                    logger.error("could not write the port file", metadata: ["path": "\(portFile)", "error": "\(error)"])
                }
            }
            try await app.runService()
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations and exit.")

    func run() async throws {
        try await reportingFailure {
            let loader = SettingsLoader()
            let logger = makeLogger(try await loader.loadLog())
            let storage = try await loader.loadStorage()
            try await Migration.run(storage: storage, logger: logger)
            print("migrations applied")
        }
    }
}

/// Installs the log handler (once: one command runs per process) and returns the process's logger.
func makeLogger(_ settings: LogSettings) -> Logger {
    LoggingSystem.bootstrap { label in
        var handler = LineLogHandler(label: label, format: settings.format)
        handler.logLevel = settings.level
        return handler
    }
    return Logger(label: "auction")
}

/// Errors end the process with one line on stderr and exit status 1, not a trace.
func reportingFailure(_ body: () async throws -> Void) async throws {
    do {
        try await body()
    } catch {
        FileHandle.standardError.write(Data("auction: \(error)\n".utf8))
        throw ExitCode.failure
    }
}
