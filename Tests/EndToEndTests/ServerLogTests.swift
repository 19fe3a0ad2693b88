import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
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

    @Test func jsonFormatWritesOneObjectPerLineWithTheAccessLine() async throws {
        let database = FileManager.default.temporaryDirectory.appendingPathComponent("log-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) } }
        let server = try ServerProcess(environment: [
            "LOG_LEVEL": "info", "LOG_FORMAT": "json", "STORAGE_KIND": "sqlite",
            "STORAGE_SQLITE_PATH": database, "BROKER_KIND": "memory", "SESSIONS_KIND": "memory",
        ])
        try await server.start()
        var request = URLRequest(url: server.baseURL.appendingPathComponent("lots/424242"))
        request.setValue("e2e-request-1", forHTTPHeaderField: "X-Request-Id")
        let (_, response) = try await URLSession.shared.data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        #expect(http.statusCode == 404 && http.value(forHTTPHeaderField: "X-Request-Id") == "e2e-request-1")
        server.stop()
        let lines = server.child.errorOutput().split(separator: "\n")
        #expect(!lines.isEmpty)
        let objects = try lines.map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
        }
        for object in objects {
            #expect(object["level"] is String && object["message"] is String && object["label"] is String)
            #expect((object["time"] as? String).map { $0.count == 24 && $0.hasSuffix("Z") } == true)
        }
        let access = try #require(objects.first { $0["hb.request.id"] as? String == "e2e-request-1" })
        #expect(access["route"] as? String == "/lots/{lot_id}" && access["status"] as? String == "404")
        #expect(access["method"] as? String == "GET" && access["duration_ms"] != nil)
    }
}
