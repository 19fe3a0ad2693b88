import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// A fresh server for one test: its own SQLite file, in-memory broker and sessions.
enum TestApp {
    static func settings() throws -> AppSettings {
        let path = FileManager.default.temporaryDirectory
            .appendingPathComponent("auction-test-\(UUID().uuidString).sqlite").path
        return try AppSettings.testing(sqlitePath: path)
    }

    static func run(
        _ mode: TestingSetup = .router,
        settings: AppSettings? = nil,
        storage: TestStorage = .sqlite,
        metrics: ServerMetrics = ServerMetrics(registry: MetricsBootstrap.registry),
        _ body: @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let settings = try settings ?? self.settings()
        let (dependencies, cleanup) = try await storage.dependencies()
        let app = try await buildApplication(settings: settings, dependencies: dependencies, metrics: metrics)
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: settings.sqlitePath + suffix) }
        }
        do {
            try await app.test(mode, body)
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }
}

/// A parsed response.
struct Reply {
    let status: HTTPResponse.Status
    let headers: HTTPFields
    let text: String

    var json: Any? { try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) }
    var object: [String: Any] { json as? [String: Any] ?? [:] }
    var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
    var detail: String { (try? decoded(ErrorBody.self))?.detail ?? "" }

    /// The body as one of the API's replies (snake_case fields as camelCase properties).
    func decoded<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(T.self, from: Data(text.utf8))
    }
}

/// The replies of the API, as a client reads them.
struct ErrorBody: Decodable { let detail: String }
struct UserBody: Decodable, Equatable {
    let id: Int64
    let username: String
}
struct TokenBody: Decodable {
    let accessToken: String
    let tokenType: String
}
struct CreatedBody: Decodable { let id: Int64 }
struct LotBody: Decodable {
    let id: Int64
    let title: String
    let description: String
    let status: String
    let owner: String
    let highestPrice: Decimal
    let highestBidder: String?
    let bidCount: Int64
    let seq: Int64
    let createdAt: String
    let endsAt: String?
    let softCloseSeconds: Int64?
}
struct BidBody: Decodable {
    let bidder: String
    let amount: Decimal
}
/// An event of the log: the fields the tests read, of whichever type.
struct EventBody: Decodable {
    let seq: Int64
    let type: String
    let status: String?
    let winner: String?
    let amount: Decimal?
}

enum Body: Sendable {
    case form([(String, String)])
    case json(String)
    case multipart([(String, String)])
    /// A body as written, with its content type.
    case raw(contentType: String, String)
    case none

    static func form(_ fields: KeyValuePairs<String, String>) -> Body { .form(fields.map { ($0.key, $0.value) }) }

    var encoded: (String?, ByteBuffer?) {
        switch self {
        case .none:
            return (nil, nil)
        case .json(let text):
            return ("application/json", ByteBuffer(string: text))
        case .raw(let contentType, let text):
            return (contentType, ByteBuffer(string: text))
        case .form(let fields):
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            let text = fields.map {
                "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)"
            }.joined(separator: "&")
            return ("application/x-www-form-urlencoded", ByteBuffer(string: text))
        case .multipart(let fields):
            let boundary = "XyZboundary42"
            var text = ""
            for (name, value) in fields {
                text += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
            }
            text += "--\(boundary)--\r\n"
            return ("multipart/form-data; boundary=\(boundary)", ByteBuffer(string: text))
        }
    }
}

struct TestUser: Sendable {
    let id: Int64
    let username: String
    let token: String
}

extension TestClientProtocol {
    func call(
        _ method: HTTPRequest.Method, _ uri: String, _ body: Body = .none, token: String? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        let (contentType, buffer) = body.encoded
        if let contentType { headers[.contentType] = contentType }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer) { response in
            Reply(status: response.status, headers: response.headers, text: String(buffer: response.body))
        }
    }

    func register(_ username: String, password: String = "secret-pw") async throws -> TestUser {
        let created = try await call(.post, "/account", .form(["username": username, "password": password]))
        #expect(created.status == .created, "register \(username): \(created.text)")
        let token = try await call(.post, "/account/token", .form(["username": username, "password": password]))
        #expect(token.status == .created, "login \(username): \(token.text)")
        return TestUser(
            id: try created.decoded(UserBody.self).id, username: username,
            token: try token.decoded(TokenBody.self).accessToken)
    }

    func createLot(_ owner: TestUser, price: String = "10", extra: [(String, String)] = []) async throws -> Int64 {
        let reply = try await call(
            .post, "/lots",
            .form([("title", "Lot"), ("description", "A thing"), ("starting_price", price)] + extra),
            token: owner.token)
        #expect(reply.status == .created, "create lot: \(reply.text)")
        return try reply.decoded(CreatedBody.self).id
    }

    func bid(_ user: TestUser, lot: Int64, _ amount: String, method: HTTPRequest.Method = .post) async throws -> Reply {
        try await call(method, "/lots/\(lot)/bids", .form(["amount": amount]), token: user.token)
    }

    func lot(_ id: Int64) async throws -> LotBody {
        try await call(.get, "/lots/\(id)").decoded(LotBody.self)
    }

    func events(_ lot: Int64, query: String = "") async throws -> [EventBody] {
        try await call(.get, "/lots/\(lot)/events\(query)").decoded([EventBody].self)
    }
}

extension AppSettings {
    /// The test's SQLite file (tests run on SQLite unless they give their dependencies).
    var sqlitePath: String {
        if case .sqlite(let path, _) = storage { return path }
        return ""
    }
}

extension Dictionary where Key == String, Value == Any {
    func number(_ key: String) -> Decimal? { (self[key] as? NSNumber)?.decimalValue }
    func int(_ key: String) -> Int64? { (self[key] as? NSNumber)?.int64Value }
    func string(_ key: String) -> String? { self[key] as? String }
}
