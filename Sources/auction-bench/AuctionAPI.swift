import AuctionCore
import Foundation
import NIOHTTP1
import NIOCore

/// The API calls the bench makes, on one connection.
struct AuctionAPI: Sendable {
    let connection: HTTPConnection

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    struct LotState: Decodable, Sendable {
        let id: Int64
        let seq: Int64
        let highest_price: Money
        let min_increment: Money?

        /// The least amount the next bid may have, in cents.
        var minimumNext: Int64 { highest_price.cents + (min_increment?.cents ?? 1) }
    }

    /// One event of the log or the socket; only the fields the audit reads.
    struct Event: Decodable, Sendable {
        let type: String
        let lot_id: Int64
        let seq: Int64
        let bidder: String?
        let amount: Money?
        /// true on the server's automatic raise of a proxy bid.
        let auto: Bool?
    }

    static let formType = ("Content-Type", "application/x-www-form-urlencoded")

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { name, value in
            "\(name)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value)"
        }.joined(separator: "&")
    }

    static func bearer(_ token: String) -> (String, String) { ("Authorization", "Bearer \(token)") }

    func register(username: String, password: String) async throws {
        let result = try await connection.send(
            .POST, "/account", headers: [Self.formType],
            body: Self.form([("username", username), ("password", password)]))
        guard result.status == 201 else { throw Self.failure("POST /account", result) }
    }

    func login(username: String, password: String) async throws -> String {
        struct Token: Decodable { let access_token: String }
        let result = try await connection.send(
            .POST, "/account/token", headers: [Self.formType],
            body: Self.form([("username", username), ("password", password)]))
        guard result.status == 201 else { throw Self.failure("POST /account/token", result) }
        return try JSONDecoder().decode(Token.self, from: result.data).access_token
    }

    func createLot(token: String, title: String, startingPrice: Money) async throws -> Int64 {
        struct Created: Decodable { let id: Int64 }
        let result = try await connection.send(
            .POST, "/lots", headers: [Self.formType, Self.bearer(token)],
            body: Self.form([
                ("title", title), ("description", "auction-bench"), ("starting_price", startingPrice.description),
            ]))
        guard result.status == 201 else { throw Self.failure("POST /lots", result) }
        return try JSONDecoder().decode(Created.self, from: result.data).id
    }

    func lot(id: Int64) async throws -> LotState {
        let result = try await connection.send(.GET, "/lots/\(id)")
        guard result.status == 200 else { throw Self.failure("GET /lots/\(id)", result) }
        return try JSONDecoder().decode(LotState.self, from: result.data)
    }

    /// The whole event log of a lot, page after page.
    func events(lotID: Int64) async throws -> [Event] {
        var all: [Event] = []
        while true {
            let since = all.last?.seq ?? 0
            let result = try await connection.send(.GET, "/lots/\(lotID)/events?since=\(since)&limit=1000")
            guard result.status == 200 else { throw Self.failure("GET /lots/\(lotID)/events", result) }
            let page = try JSONDecoder().decode([Event].self, from: result.data)
            all += page
            if page.count < 1000 { return all }
        }
    }

    /// POST (create) or PATCH (raise) the caller's bid; the status is the caller's to read.
    func bid(token: String, lotID: Int64, amount: Money, mode: BidMode) async throws -> HTTPResult {
        try await connection.send(
            mode == .create ? .POST : .PATCH, "/lots/\(lotID)/bids",
            headers: [Self.formType, Self.bearer(token)], body: "amount=\(amount)")
    }

    func healthy() async -> Bool {
        (try? await connection.send(.GET, "/healthz").status) == 200
    }

    static func failure(_ what: String, _ result: HTTPResult) -> Failure {
        Failure(description: "\(what) answered \(result.status): \(result.text.prefix(300))")
    }
}
