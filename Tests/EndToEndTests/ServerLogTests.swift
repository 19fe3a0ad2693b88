import Foundation
import Testing
import TestSupport

@Suite("Server log")
struct ServerLogTests {
    @Test func warningsAreOneLineOnStderrWithTheirLevel() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let server = try ServerProcess(environment: [
            // The development secret, as dev runs without one.
            "APP_SETTINGS": "dev", "JWT_SECRET_KEY": "dev-only-secret-change-me-0123456789abcdef-0123456789abcdef-0123456789",
            "LOG_LEVEL": "info", "STORAGE_KIND": "sqlite",
            "STORAGE_SQLITE_PATH": database, "BROKER_KIND": "memory", "SESSIONS_KIND": "memory",
        ])
        try await server.start()
        defer { server.stop() }
        // Dev settings run on the development secret, which the server warns about.
        let lines = server.child.errorOutput().split(separator: "\n")
        let warning = try #require(lines.first { $0.contains("jwt.secret is the development value") })
        #expect(warning.contains(" warning auction:"))
    }
}
