import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import SQLiteBackend
import TestSupport
import Testing

/// API.md "Idempotent requests" on the four routes that take an `Idempotency-Key`.
@Suite("Idempotency-Key")
struct IdempotencyRoutesTests {
    static func key(_ value: String) -> HTTPFields { [IdempotencyKeyHeader.name: value] }

    @Test func aBadKeyIsRefusedNamingTheProblemAndChangesNothing() async throws {
        try await TestApp.run { client in
            let cases = [
                ("", "must not be empty"),
                (String(repeating: "k", count: 256), "at most 255 characters, not 256"),
                ("caf\u{E9}", "printable ASCII"),
            ]
            for (value, problem) in cases {
                let reply = try await client.call(
                    .post, "/account", .form(["username": "ann", "password": "secret-pw"]), headers: Self.key(value))
                #expect(reply.status == .unprocessableContent)
                #expect(reply.detail.hasPrefix("Idempotency-Key: ") && reply.detail.contains(problem), "\(reply.detail)")
            }
            // 255 printable characters, spaces included, are a key; nothing was created before.
            let longest = String(repeating: "a b~", count: 63) + "xyz"
            let created = try await client.call(
                .post, "/account", .form(["username": "ann", "password": "secret-pw"]), headers: Self.key(longest))
            #expect(created.status == .created, "\(created.text)")
        }
    }

    @Test(arguments: TestStorage.allCases)
    func eachRouteAnswersTheSameBytesAgainAndChangesNothing(storage: TestStorage) async throws {
        try await TestApp.run(storage: storage) { client in
            let signup = Body.form(["username": "bea", "password": "secret-pw"])
            let account = try await client.call(.post, "/account", signup, headers: Self.key("signup-1"))
            #expect(account.status == .created)
            #expect(account.headers[IdempotencyKeyHeader.replayed] == nil)
            let accountAgain = try await client.call(.post, "/account", signup, headers: Self.key("signup-1"))
            #expect(accountAgain.status == .created)
            #expect(accountAgain.text == account.text)
            #expect(accountAgain.headers[IdempotencyKeyHeader.replayed] == "true")

            let owner = try await client.register("olga")
            let bidder = try await client.register("pete")
            let newLot = Body.form(["title": "Clock", "description": "Brass", "starting_price": "10"])
            let lot = try await client.call(.post, "/lots", newLot, token: owner.token, headers: Self.key("lot-1"))
            let lotAgain = try await client.call(.post, "/lots", newLot, token: owner.token, headers: Self.key("lot-1"))
            #expect(lot.status == .created && lotAgain.status == .created)
            #expect(lotAgain.text == lot.text && lotAgain.headers[IdempotencyKeyHeader.replayed] == "true")
            #expect(try await client.call(.get, "/lots?status=all").array.count == 1)
            let id = try lot.decoded(CreatedBody.self).id

            for (method, amount, status) in [(HTTPRequest.Method.post, "11", HTTPResponse.Status.created), (.patch, "12", .ok)] {
                let key = Self.key("bid-\(method.rawValue)")
                let first = try await client.call(method, "/lots/\(id)/bids", .form(["amount": amount]), token: bidder.token, headers: key)
                let again = try await client.call(method, "/lots/\(id)/bids", .form(["amount": amount]), token: bidder.token, headers: key)
                #expect(first.status == status && again.status == status, "\(first.text) \(again.text)")
                #expect(again.text == first.text && again.headers[IdempotencyKeyHeader.replayed] == "true")
            }
            #expect(try await client.events(id).map(\.seq) == [1, 2])
        }
    }

    @Test func aKeyReusedWithAnotherBodyOrRouteIs422AndAnotherUsersKeyIsItsOwn() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("quin")
            let bidder = try await client.register("rita")
            let other = try await client.register("sam")
            let lot = try await client.createLot(owner)
            let key = Self.key("same")
            #expect(try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "11"]), token: bidder.token, headers: key).status == .created)
            let otherBody = try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "13"]), token: bidder.token, headers: key)
            #expect(otherBody.status == .unprocessableContent)
            #expect(otherBody.detail.contains("another request"))
            let otherRoute = try await client.call(.patch, "/lots/\(lot)/bids", .form(["amount": "11"]), token: bidder.token, headers: key)
            #expect(otherRoute.status == .unprocessableContent)
            // The key is scoped to its user: another bidder's "same" is a new request.
            #expect(try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "12"]), token: other.token, headers: key).status == .created)
            #expect(try await client.events(lot).count == 2)
        }
    }

    @Test func aRefusalIsKeptAndAnsweredAgain() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("tom")
            let bidder = try await client.register("uma")
            let lot = try await client.createLot(owner, price: "10")
            let key = Self.key("low")
            let refused = try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "5"]), token: bidder.token, headers: key)
            #expect(refused.status == .badRequest)
            let again = try await client.call(.post, "/lots/\(lot)/bids", .form(["amount": "5"]), token: bidder.token, headers: key)
            #expect(again.status == .badRequest && again.text == refused.text)
            #expect(again.headers[IdempotencyKeyHeader.replayed] == "true")
            #expect(try await client.events(lot).isEmpty)
        }
    }

    @Test(arguments: TestStorage.allCases)
    func fiftyConcurrentRequestsWithOneKeyMakeOneBid(storage: TestStorage) async throws {
        try await TestApp.run(.live, storage: storage) { client in
            let port = try #require(client.port)
            let owner = try await client.register("vic")
            let bidder = try await client.register("wes")
            let lot = try await client.createLot(owner, price: "10")
            let replies = try await withThrowingTaskGroup(of: KeyedReply.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await KeyedReply.send(
                            port: port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=11", token: bidder.token,
                            key: "one-bid")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let accepted = replies.filter { $0.status == 201 }
            #expect(replies.allSatisfy { $0.status == 201 || $0.status == 409 }, "\(Set(replies.map(\.status)))")
            #expect(accepted.filter { !$0.replayed }.count == 1)
            #expect(Set(accepted.map(\.body)).count == 1)
            #expect(replies.filter { $0.status == 409 }.allSatisfy { $0.body.contains("still running") })
            // Once the first has answered, every retry is its replay.
            let after = try await KeyedReply.send(
                port: port, method: "POST", path: "/lots/\(lot)/bids", form: "amount=11", token: bidder.token, key: "one-bid")
            #expect(after.status == 201 && after.replayed && after.body == accepted.first?.body)
            #expect(try await client.events(lot).count == 1)
            #expect(try await client.call(.get, "/lots/\(lot)/bids").array.count == 1)
        }
    }

    @Test func thePurgeServiceDeletesKeysOlderThanADay() async throws {
        let store = try SQLiteStore.temporary()
        try await store.migrate()
        let now = Date()
        let key = IdempotencyKey(scope: "", key: "old", fingerprint: "f")
        _ = try await store.claimIdempotencyKey(key, now: now.addingTimeInterval(-IdempotencyPolicy.retention - 10))
        _ = try await store.claimIdempotencyKey(IdempotencyKey(scope: "", key: "new", fingerprint: "f"), now: now)
        let gate = StartupGate()
        await gate.open()
        let service = IdempotencyPurgeService(store: store, interval: .seconds(3600), logger: .init(label: "test"), gate: gate)
        await service.purge(now: now)
        // The old key went; the new one stays.
        #expect(try await store.purgeIdempotencyKeys(olderThan: now) == 0)
        #expect(try await store.purgeIdempotencyKeys(olderThan: now.addingTimeInterval(1)) == 1)
    }
}
