import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The OpenAPI document against what the routes answer.
@Suite("OpenAPI document")
struct OpenAPIDocumentTests {
    /// Every operation and every status it can answer (429: a rate limit; 503: storage, sessions or shutdown).
    static let statuses: [String: Set<Int>] = [
        "POST /account": [201, 409, 413, 422, 429, 503],
        "POST /account/token": [201, 401, 413, 422, 429, 503],
        "DELETE /account/token": [200, 401, 503],
        "POST /account/logout": [200, 401, 503],
        "GET /account/me": [200, 401, 503],
        "GET /account/me/": [200, 401, 503],
        "GET /account/me/events": [200, 401, 422, 503],
        "POST /lots": [201, 401, 409, 413, 422, 503],
        "GET /lots": [200, 422, 503],
        "GET /lots/{lot_id}": [200, 401, 404, 503],
        "POST /lots/{lot_id}/bids": [201, 400, 401, 403, 404, 409, 413, 422, 429, 503],
        "PATCH /lots/{lot_id}/bids": [200, 400, 401, 403, 404, 409, 413, 422, 429, 503],
        "GET /lots/{lot_id}/bids": [200, 404, 422, 503],
        "PATCH /lots/{lot_id}/status": [200, 401, 403, 404, 409, 413, 422, 503],
        "GET /lots/{lot_id}/events": [200, 404, 422, 503],
        "GET /healthz": [200],
        "GET /readyz": [200, 503],
        "GET /metrics": [200],
        "GET /openapi.json": [200],
    ]

    /// The document's operations ("METHOD /path") and their statuses.
    static func documented() throws -> [String: Set<Int>] {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var operations: [String: Set<Int>] = [:]
        for (path, methods) in paths {
            for (method, operation) in methods {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: Any])
                operations["\(method.uppercased()) \(path)"] = Set(responses.keys.compactMap { Int($0) })
            }
        }
        return operations
    }

    @Test func listsEveryStatusOfEveryRoute() throws {
        #expect(try Self.documented() == Self.statuses)
    }

    @Test func everyErrorHasTheDetailSchema() throws {
        let text = OpenAPIDocument.json
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        for (path, methods) in paths {
            for (method, operation) in methods {
                let responses = try #require(operation["responses"] as? [String: [String: Any]])
                for (status, response) in responses where status.hasPrefix("4") || status.hasPrefix("5") {
                    let content = response["content"] as? [String: [String: [String: String]]]
                    #expect(content?["application/json"]?["schema"]?["$ref"] == "#/components/schemas/Error", "\(method) \(path) \(status)")
                }
            }
        }
    }

    /// One request for each error status that can be caused from outside; each
    /// answer must be a status the document lists for its operation, with a detail.
    @Test func theRoutesAnswerOnlyDocumentedStatuses() async throws {
        let documented = try Self.documented()
        try await TestApp.run { client in
            let owner = try await client.register("owner")
            let bidder = try await client.register("bidder")
            let lot = try await client.createLot(owner, price: "10")
            let finished = try await client.createLot(owner, price: "10")
            _ = try await client.call(.patch, "/lots/\(finished)/status?lot_status=finished", token: owner.token)
            let big = String(repeating: "x", count: 70_000)
            let cases: [(operation: String, method: HTTPRequest.Method, uri: String, body: Body, token: String?, status: Int)] = [
                ("POST /account", .post, "/account", .form(["username": "owner", "password": "pw"]), nil, 409),
                ("POST /account", .post, "/account", .form(["username": " spaced ", "password": "pw"]), nil, 422),
                ("POST /account", .post, "/account", .form(["username": big]), nil, 413),
                ("POST /account/token", .post, "/account/token", .form(["username": "owner", "password": "wrong"]), nil, 401),
                ("POST /account/token", .post, "/account/token", .form(["username": "owner"]), nil, 422),
                ("POST /account/token", .post, "/account/token", .form(["username": big]), nil, 413),
                ("DELETE /account/token", .delete, "/account/token", .none, "not-a-token", 401),
                ("POST /account/logout", .post, "/account/logout", .none, nil, 401),
                ("GET /account/me", .get, "/account/me", .none, nil, 401),
                ("GET /account/me/", .get, "/account/me/", .none, nil, 401),
                ("POST /lots", .post, "/lots", .none, nil, 401),
                ("POST /lots", .post, "/lots", .json(#"{"title": false, "description": "d", "starting_price": 1}"#), owner.token, 422),
                ("POST /lots", .post, "/lots", .form(["title": "t", "description": big, "starting_price": "1"]), owner.token, 413),
                ("GET /lots", .get, "/lots?limit=0", .none, nil, 422),
                ("GET /lots/{lot_id}", .get, "/lots/999999", .none, nil, 404),
                ("GET /lots/{lot_id}", .get, "/lots/\(lot)", .none, "not-a-token", 401),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(lot)/bids", .form(["amount": "1"]), bidder.token, 400),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(finished)/bids", .form(["amount": "20"]), bidder.token, 400),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(lot)/bids", .form(["amount": "20"]), nil, 401),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(lot)/bids", .form(["amount": "20"]), owner.token, 403),
                ("POST /lots/{lot_id}/bids", .post, "/lots/999999/bids", .form(["amount": "20"]), bidder.token, 404),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(lot)/bids", .form(["amount": "1.001"]), bidder.token, 422),
                ("POST /lots/{lot_id}/bids", .post, "/lots/\(lot)/bids", .form(["amount": big]), bidder.token, 413),
                ("PATCH /lots/{lot_id}/bids", .patch, "/lots/\(lot)/bids", .form(["amount": "20"]), bidder.token, 404),
                ("PATCH /lots/{lot_id}/bids", .patch, "/lots/\(lot)/bids", .form(["amount": "20"]), owner.token, 403),
                ("PATCH /lots/{lot_id}/bids", .patch, "/lots/\(lot)/bids", .form(["amount": "x"]), bidder.token, 422),
                ("GET /lots/{lot_id}/bids", .get, "/lots/999999/bids", .none, nil, 404),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/\(lot)/status?lot_status=finished", .none, nil, 401),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/\(lot)/status?lot_status=finished", .none, bidder.token, 403),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/999999/status?lot_status=finished", .none, owner.token, 404),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/\(finished)/status?lot_status=running", .none, owner.token, 409),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/\(lot)/status?lot_status=sold", .none, owner.token, 422),
                ("PATCH /lots/{lot_id}/status", .patch, "/lots/\(lot)/status", .form(["status": big]), owner.token, 413),
                ("GET /lots/{lot_id}/events", .get, "/lots/999999/events", .none, nil, 404),
                ("GET /lots/{lot_id}/events", .get, "/lots/\(lot)/events?since=-1", .none, nil, 422),
            ]
            for item in cases {
                let reply = try await client.call(item.method, item.uri, item.body, token: item.token)
                #expect(reply.status.code == item.status, "\(item.operation) \(item.uri): \(reply.text.prefix(200))")
                #expect(documented[item.operation]?.contains(reply.status.code) == true, "\(item.operation) answered \(reply.status.code)")
                #expect(!reply.detail.isEmpty, "\(item.operation): \(reply.text.prefix(200))")
            }
        }
    }

    @Test func anUndocumentedMethodOnADocumentedPathIs405WithAllow() async throws {
        try await TestApp.run { client in
            let reply = try await client.call(.init("TRACE")!, "/lots")
            #expect(reply.status == .methodNotAllowed)
            #expect(reply.headers[.allow] == "GET, POST")
            #expect(!reply.detail.isEmpty)
            #expect(try await client.call(.put, "/lots/7").headers[.allow] == "GET")
            #expect(try await client.call(.put, "/account/me/").status == .methodNotAllowed)
            // A path that does not exist stays 404.
            #expect(try await client.call(.init("TRACE")!, "/no/such/route").status == .notFound)
        }
    }

    /// JSON values of the wrong type are refused where the document says string;
    /// money and counts still come as numbers or strings.
    @Test func jsonBodiesAreReadByTheDocumentedTypes() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("typist")
            for title in ["false", "5", "[]"] {
                let reply = try await client.call(
                    .post, "/lots", .json(#"{"title": \#(title), "description": "d", "starting_price": 1}"#), token: owner.token)
                #expect(reply.status == .unprocessableContent, "\(title)")
                #expect(reply.detail == "title: must be a string")
            }
            let reply = try await client.call(
                .post, "/lots",
                .json(#"{"title": "t", "description": "d", "starting_price": "10.5", "duration_seconds": 60, "ends_at": null}"#),
                token: owner.token)
            #expect(reply.status == .created, "\(reply.text)")
            #expect(try await client.call(.get, "/lots?status=all").array.count == 1)
        }
    }

    /// Lengths are counted in code points, as JSON Schema counts them.
    @Test func lengthsAreCodePoints() async throws {
        try await TestApp.run { client in
            // 33 characters of two code points each: 66 code points, over the 64 allowed.
            let name = String(repeating: "e\u{301}", count: 33)
            let reply = try await client.call(.post, "/account", .form(["username": name, "password": "pw"]))
            #expect(reply.status == .unprocessableContent)
            #expect(reply.detail == "username: must be 1 to 64 characters long")
        }
    }

    /// A multipart field whose name holds a line separator other than CRLF/LF is
    /// an unknown field, ignored, not a malformed body.
    @Test func multipartIgnoresAnOddFieldName() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("mp-owner")
            let bidder = try await client.register("mp-bidder")
            let lot = try await client.createLot(owner, price: "1")
            let reply = try await client.call(
                .post, "/lots/\(lot)/bids", .multipart([("x\u{85}\u{0B}y", "v"), ("amount", "2")]), token: bidder.token)
            #expect(reply.status == .created, "\(reply.text)")
        }
    }
}
