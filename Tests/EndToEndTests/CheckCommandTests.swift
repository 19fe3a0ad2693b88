import Foundation
import Testing
import TestSupport

/// `auction check` and `auction --version`, run as a user runs them.
@Suite("auction check")
struct CheckCommandTests {
    /// Runs `auction` with the arguments; its exit status, stdout lines and stderr.
    /// (Output in files: reading a pipe's lines after the exit sometimes waited for
    /// an end of file that never came, and the run hung.)
    static func run(_ arguments: [String], _ environment: [String: String]) async throws -> (Int32, [String], String) {
        // Each part is bounded by 2 s and they run at once; 60 s is far beyond.
        let run = try await FinishedProcess.run(Executables.url("auction"), arguments, environment: environment, within: 60)
        return (run.status, run.lines, run.errors)
    }

    static func sqlite() -> [String: String] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("check-\(UUID()).sqlite").path
        // A minute for each answer: 2 s was exceeded at a load average of 30.
        return [
            "STORAGE_KIND": "sqlite", "STORAGE_SQLITE_PATH": path, "BROKER_KIND": "memory", "SESSIONS_KIND": "memory",
            "HEALTH_TIMEOUT_MS": "60000",
        ]
    }

    @Test func embeddedDefaultAnswersWithOneLinePerPart() async throws {
        let env = Self.sqlite()
        defer { try? FileManager.default.removeItem(atPath: env["STORAGE_SQLITE_PATH"]!) }
        let (status, lines, _) = try await Self.run(["check"], env)
        #expect(status == 0)
        #expect(lines == ["storage: sqlite \(env["STORAGE_SQLITE_PATH"]!): ok", "broker: memory: ok", "sessions: memory: ok"])
    }

    @Test func aPostgresPortNobodyListensOnFailsNamingStorage() async throws {
        let nobody = try LocalSocket.Reserved()  // bound, never listening: connections are refused
        defer { withExtendedLifetime(nobody) {} }
        let port = nobody.port
        var env = Self.sqlite()
        env.merge(["STORAGE_KIND": "postgres", "PGHOST": "127.0.0.1", "PGPORT": String(port),
                   "PGUSER": "u", "PGPASSWORD": "pg-secret-999"]) { $1 }
        let (status, lines, errors) = try await Self.run(["check"], env)
        #expect(status == 1)
        let storage = try #require(lines.first { $0.hasPrefix("storage: ") })
        #expect(storage.hasPrefix("storage: postgres 127.0.0.1:\(port)/auction: failed: "))
        #expect(lines.contains("broker: memory: ok"))
        #expect(!(lines.joined() + errors).contains("pg-secret-999"))
    }

    @Test func aRedisPasswordIsNeverPrinted() async throws {
        let nobody = try LocalSocket.Reserved()  // bound, never listening: connections are refused
        defer { withExtendedLifetime(nobody) {} }
        let port = nobody.port
        var env = Self.sqlite()
        defer { try? FileManager.default.removeItem(atPath: env["STORAGE_SQLITE_PATH"]!) }
        env.merge(["SESSIONS_KIND": "redis", "SESSIONS_URL": "redis://:redis-secret-777@127.0.0.1:\(port)"]) { $1 }
        let (status, lines, errors) = try await Self.run(["check"], env)
        #expect(status == 1)
        let sessions = try #require(lines.first { $0.hasPrefix("sessions: ") })
        #expect(sessions.hasPrefix("sessions: redis 127.0.0.1:\(port): failed: "))
        #expect(!(lines.joined() + errors).contains("redis-secret-777"))
    }

    @Test func badSettingsAreOneLineAndExitOne() async throws {
        let (status, lines, errors) = try await Self.run(["check"], Self.sqlite().merging(["LOG_FORMAT": "xml"]) { $1 })
        #expect(status == 1 && lines.isEmpty)
        #expect(errors == "auction: configuration error: log.format (LOG_FORMAT) must be one of text, json, got 'xml'\n")
    }

    @Test func versionIsPrinted() async throws {
        let (status, lines, _) = try await Self.run(["--version"], [:])
        #expect(status == 0 && lines.count == 1 && lines.first?.split(separator: ".").count == 3)
    }
}
