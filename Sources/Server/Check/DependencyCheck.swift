import AuctionCore
import Foundation
import Logging
import PostgresBackend

/// `auction check`: builds storage, broker and sessions from the settings and
/// pings each (bounded, as `/readyz` does), one line per part saying what it
/// found: the kind and where it is, never a password.
public enum DependencyCheck {
    public struct Finding: Sendable, CustomStringConvertible {
        public let part: String
        /// The kind and where: `postgres 127.0.0.1:5432/auction`, `redis 127.0.0.1:6379`.
        public let found: String
        /// Why the part did not answer; nil when it did.
        public let problem: String?

        public var description: String { "\(part): \(found): \(problem.map { "failed: \($0)" } ?? "ok")" }
    }

    public static func run(settings: AppSettings, logger: Logger) async -> [Finding] {
        let parts = [
            Part(name: "storage", found: describe(settings.storage)) {
                // PostgreSQL gets a connection of its own, which says why it failed
                // (the pool only says that no connection came).
                if case .postgres(let pg) = settings.storage {
                    return ({}, { try await PostgresStore.probe(pg.storeConfiguration, logger: logger) })
                }
                let store = try BackendFactory.makeStore(settings.storage, logger: logger)
                return ({ try await store.run() }, { try await store.ping() })
            },
            Part(name: "broker", found: describe(settings.broker)) {
                let broker = try BackendFactory.makeBroker(settings.broker, logger: logger)
                return ({ try await broker.run() }, { try await broker.ping() })
            },
            Part(name: "sessions", found: describe(settings.sessions)) {
                let sessions = try BackendFactory.makeSessions(settings.sessions)
                return ({ try await sessions.run() }, { try await sessions.ping() })
            },
        ]
        var problems: [String: String] = [:]
        var checks: [(name: String, ping: ReadinessProbe.Ping)] = []
        var running: [Task<Void, Never>] = []
        for part in parts {
            do {
                let built = try part.build()
                // Clients such as PostgreSQL's answer only while their run() runs.
                running.append(Task { try? await built.run() })
                checks.append((part.name, built.ping))
            } catch {
                problems[part.name] = "\(error)"
            }
        }
        // Cancelled, not awaited: a hung one does not hold the command up.
        defer { for task in running { task.cancel() } }
        for (name, error) in await ReadinessProbe(checks).run(deadline: .milliseconds(settings.healthTimeoutMilliseconds)) {
            if let error { problems[name] = describe(error) }
        }
        let secrets = secrets(of: settings)
        return parts.map { part in
            Finding(part: part.name, found: part.found, problem: problems[part.name].map { redact($0, secrets) })
        }
    }

    /// A part to check: what the settings name, and how to build it.
    private struct Part {
        let name: String
        let found: String
        let build: () throws -> (run: ReadinessProbe.Ping, ping: ReadinessProbe.Ping)
    }

    static func describe(_ storage: StorageSettings) -> String {
        switch storage {
        case .sqlite(let path, _): "sqlite \(path)"
        case .postgres(let pg):
            "postgres \(pg.host):\(pg.port)/\(pg.database)" + (pg.sslMode == .disable ? "" : " sslmode \(pg.sslMode.rawValue)")
        }
    }

    static func describe(_ broker: BrokerSettings) -> String {
        switch broker {
        case .memory: "memory"
        case .redis(let url): "redis \(address(url, defaultPort: 6379))"
        case .amqp(let url, let exchange):
            "\(url.scheme ?? "amqp") \(address(url, defaultPort: url.scheme == "amqps" ? 5671 : 5672)) exchange \(exchange)"
        }
    }

    static func describe(_ sessions: SessionsSettings) -> String {
        switch sessions {
        case .memory: "memory"
        case .redis(let url): "redis \(address(url, defaultPort: 6379))"
        }
    }

    /// host:port only: the URL's user and password stay out.
    private static func address(_ url: URL, defaultPort: Int) -> String {
        "\(url.host ?? ""):\(url.port ?? defaultPort)"
    }

    private static func describe(_ error: any Error) -> String {
        if let error = error as? DeadlineExceeded { return "no answer within \(error.timeout)" }
        return "\(error)"
    }

    /// The passwords an error's text might quote (a client repeating its URL).
    private static func secrets(of settings: AppSettings) -> [String] {
        var secrets: [String] = []
        if case .postgres(let pg) = settings.storage { secrets.append(pg.password) }
        switch settings.broker {
        case .redis(let url), .amqp(let url, _): secrets += [url.password].compactMap { $0 }
        case .memory: break
        }
        if case .redis(let url) = settings.sessions { secrets += [url.password].compactMap { $0 } }
        return secrets.filter { !$0.isEmpty }
    }

    private static func redact(_ text: String, _ secrets: [String]) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "***") }
    }
}
