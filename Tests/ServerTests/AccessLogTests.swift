@testable import AuctionServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// The access line of every request and its `X-Request-Id`.
@Suite("Access log")
struct AccessLogTests {
    static let requestID = HTTPField.Name("X-Request-Id")!

    /// A server whose log lines (JSON) are kept in `LogLines`.
    static func run(_ body: @Sendable (any TestClientProtocol, LogLines) async throws -> Void) async throws {
        let settings = try TestApp.settings()
        let lines = LogLines()
        var logger = Logger(label: "auction") { LineLogHandler(label: $0, format: .json, output: lines.output) }
        logger.logLevel = .info
        let app = try await buildApplication(settings: settings, logger: logger)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + suffix) }
        }
        try await app.test(.router) { client in try await body(client, lines) }
    }

    /// The access line of the request with this id.
    static func accessLine(_ lines: LogLines, id: String) throws -> [String: Any] {
        try #require(lines.objects.first { $0["message"] as? String == "request" && $0["hb.request.id"] as? String == id })
    }

    @Test func accessLineHasTheRouteTemplateAndTheStatusAnswered() async throws {
        try await Self.run { client, lines in
            let cases: [(HTTPRequest.Method, String, Body, String, Int)] = [
                (.get, "/lots/999", .none, "/lots/{lot_id}", 404),
                (.get, "/no/such/route", .none, "NotFound", 404),
                (.get, "/account/me", .none, "/account/me", 401),
                (.get, "/lots?limit=0", .none, "/lots", 422),
                (.post, "/account", .form(["username": "logged", "password": "pw"]), "/account", 201),
            ]
            for (index, (method, uri, body, route, status)) in cases.enumerated() {
                let id = "case-\(index)"
                let reply = try await client.call(method, uri, body, headers: [Self.requestID: id])
                #expect(reply.status.code == status, "\(uri)")
                let line = try Self.accessLine(lines, id: id)
                #expect(line["level"] as? String == "info")
                #expect(line["method"] as? String == method.rawValue)
                #expect(line["route"] as? String == route, "\(uri)")
                #expect(line["status"] as? String == String(status), "\(uri)")
                #expect((line["duration_ms"] as? String).flatMap(Double.init).map { $0 >= 0 } == true)
            }
        }
    }

    @Test func aSaneRequestIdIsEchoedOnErrorsToo() async throws {
        try await Self.run { client, _ in
            let reply = try await client.call(.get, "/lots/999", headers: [Self.requestID: "proxy-7f3a"])
            #expect(reply.status == .notFound && reply.headers[Self.requestID] == "proxy-7f3a")
        }
    }

    @Test("an absent or insane request id is replaced by a new one", arguments: [
        nil, "", "has space", String(repeating: "x", count: 129), "caf\u{E9}",
    ])
    func insaneOrAbsentIdsAreReplaced(given: String?) async throws {
        try await Self.run { client, lines in
            var headers: HTTPFields = [:]
            if let given { headers[Self.requestID] = given }
            let reply = try await client.call(.get, "/healthz", headers: headers)
            let id = try #require(reply.headers[Self.requestID])
            #expect(id != given && id.count == 16 && id.allSatisfy(\.isHexDigit))
            // The id answered is the one the request's lines carry.
            _ = try Self.accessLine(lines, id: id)
        }
    }

    @Test func aLongestSaneIdIsKept() async throws {
        try await Self.run { client, _ in
            let id = String(repeating: "~", count: 128)
            let reply = try await client.call(.get, "/healthz", headers: [Self.requestID: id])
            #expect(reply.headers[Self.requestID] == id)
        }
    }

    @Test func tokensInHeadersAndQueriesAreNeverLogged() async throws {
        try await Self.run { client, lines in
            let reply = try await client.call(
                .get, "/account/me?token=query-secret-123", token: "header-secret-456", headers: [Self.requestID: "s1"])
            #expect(reply.status == .unauthorized)
            _ = try Self.accessLine(lines, id: "s1")
            let all = lines.all.joined()
            #expect(!all.contains("query-secret-123") && !all.contains("header-secret-456"))
        }
    }
}
