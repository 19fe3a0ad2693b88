import AuctionCore
import Foundation
import Testing

/// Idempotency keys on every store: claim, the answer kept with the effect, replay,
/// mismatch, in flight, a lease taken over, refusals, and the purge after 24 hours.
extension StoreConformanceTests {
    private static func key(_ key: String = "k-1", scope: String = "user:1", fingerprint: String = "fp-a") -> IdempotencyKey {
        IdempotencyKey(scope: scope, key: key, fingerprint: fingerprint)
    }

    private static func claimed(_ result: IdempotencyClaimResult) throws -> IdempotencyClaim {
        guard case .claimed(let claim) = result else { throw ClaimRefused(result: result) }
        return claim
    }

    private struct ClaimRefused: Error { let result: IdempotencyClaimResult }

    private static func bidAnswer(_ outcome: BidOutcome) -> StoredResponse {
        StoredResponse(status: 201, body: "bid \(outcome.bid.id) at \(outcome.bid.amount)")
    }

    @Test("idempotency: a bid's answer is kept with it and replayed; the same key again changes nothing",
          arguments: StoreBackend.allCases)
    func bidReplayed(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let key = Self.key(scope: "user:\(alice.id)")
        let claim = try Self.claimed(try await fixture.store.claimIdempotencyKey(key, now: fixture.now))
        let outcome = try await fixture.store.placeBid(
            lotID: lot.id, bidderID: alice.id, amount: Money(cents: 11_00), maxAmount: nil, mode: .create, now: fixture.now,
            idempotency: IdempotentRecording(claim: claim, render: Self.bidAnswer))
        let before = try await fixture.snapshot(of: lot.id)

        let again = try await fixture.store.claimIdempotencyKey(key, now: fixture.now.addingTimeInterval(3600))
        #expect(again == .replay(Self.bidAnswer(outcome)))
        #expect(try await fixture.snapshot(of: lot.id) == before)
        #expect(before.events.count == 1)
    }

    @Test("idempotency: a new user and a new lot keep their answers too", arguments: StoreBackend.allCases)
    func userAndLotReplayed(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let userKey = Self.key("signup", scope: "")
        let userClaim = try Self.claimed(try await fixture.store.claimIdempotencyKey(userKey, now: fixture.now))
        let user = try await fixture.store.createUser(
            username: "carol", passwordHash: "h",
            idempotency: IdempotentRecording(claim: userClaim) { StoredResponse(status: 201, body: "user \($0.id)") })
        #expect(try await fixture.store.claimIdempotencyKey(userKey, now: fixture.now)
            == .replay(StoredResponse(status: 201, body: "user \(user.id)")))

        let lotKey = Self.key("new-lot", scope: "user:\(fixture.owner.id)")
        let lotClaim = try Self.claimed(try await fixture.store.claimIdempotencyKey(lotKey, now: fixture.now))
        let lot = try await fixture.store.createLot(
            NewLot(title: "Vase", description: "Blue", startingPrice: Money(cents: 5_00), ownerID: fixture.owner.id,
                   endsAt: nil, minIncrement: .cent, softCloseSeconds: nil),
            now: fixture.now,
            idempotency: IdempotentRecording(claim: lotClaim) { StoredResponse(status: 201, body: "lot \($0.id)") })
        #expect(try await fixture.store.claimIdempotencyKey(lotKey, now: fixture.now)
            == .replay(StoredResponse(status: 201, body: "lot \(lot.id)")))
    }

    @Test("idempotency: the same key with another request is a mismatch; other scopes are apart",
          arguments: StoreBackend.allCases)
    func mismatchAndScopes(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let claim = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key(), now: fixture.now))
        #expect(try await fixture.store.claimIdempotencyKey(Self.key(fingerprint: "fp-b"), now: fixture.now) == .mismatch)
        try await fixture.store.finishIdempotencyKey(claim, response: StoredResponse(status: 400, body: "refused"))
        #expect(try await fixture.store.claimIdempotencyKey(Self.key(fingerprint: "fp-b"), now: fixture.now) == .mismatch)
        // Another user's key of the same name is another key.
        _ = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key(scope: "user:2"), now: fixture.now))
    }

    @Test("idempotency: a running claim is in flight until its lease runs out; then a retry takes it over and the first cannot commit",
          arguments: StoreBackend.allCases)
    func inFlightAndLease(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let lot = try await fixture.lot()
        let alice = try await fixture.user("alice")
        let key = Self.key(scope: "user:\(alice.id)")
        let first = try Self.claimed(try await fixture.store.claimIdempotencyKey(key, now: fixture.now))
        let withinLease = fixture.now.addingTimeInterval(IdempotencyPolicy.lease - 1)
        #expect(try await fixture.store.claimIdempotencyKey(key, now: withinLease) == .inFlight)

        let afterLease = fixture.now.addingTimeInterval(IdempotencyPolicy.lease + 1)
        // Another body is still a mismatch, lease or not.
        #expect(try await fixture.store.claimIdempotencyKey(Self.key(scope: key.scope, fingerprint: "fp-b"), now: afterLease)
            == .mismatch)
        let second = try Self.claimed(try await fixture.store.claimIdempotencyKey(key, now: afterLease))
        #expect(second.token != first.token)

        // The first request (a node that was only slow) comes back: its bid is rolled back.
        let before = try await fixture.snapshot(of: lot.id)
        await #expect(throws: IdempotencyClaimLost.self) {
            try await fixture.store.placeBid(
                lotID: lot.id, bidderID: alice.id, amount: Money(cents: 11_00), maxAmount: nil, mode: .create, now: afterLease,
                idempotency: IdempotentRecording(claim: first, render: Self.bidAnswer))
        }
        #expect(try await fixture.snapshot(of: lot.id) == before)
        let outcome = try await fixture.store.placeBid(
            lotID: lot.id, bidderID: alice.id, amount: Money(cents: 11_00), maxAmount: nil, mode: .create, now: afterLease,
            idempotency: IdempotentRecording(claim: second, render: Self.bidAnswer))
        #expect(try await fixture.store.claimIdempotencyKey(key, now: afterLease) == .replay(Self.bidAnswer(outcome)))
    }

    @Test("idempotency: a kept refusal is replayed; a forgotten key runs again", arguments: StoreBackend.allCases)
    func refusalKeptOrForgotten(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let refused = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("a"), now: fixture.now))
        let refusal = StoredResponse(status: 400, body: #"{"detail":"too low"}"#)
        try await fixture.store.finishIdempotencyKey(refused, response: refusal)
        #expect(try await fixture.store.claimIdempotencyKey(Self.key("a"), now: fixture.now) == .replay(refusal))
        // Finishing again (a late duplicate) changes nothing.
        try await fixture.store.finishIdempotencyKey(refused, response: nil)
        #expect(try await fixture.store.claimIdempotencyKey(Self.key("a"), now: fixture.now) == .replay(refusal))

        let failed = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("b"), now: fixture.now))
        try await fixture.store.finishIdempotencyKey(failed, response: nil)
        _ = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("b"), now: fixture.now))
    }

    @Test("idempotency: keys older than 24 hours are forgotten and purged", arguments: StoreBackend.allCases)
    func expiryAndPurge(backend: StoreBackend) async throws {
        let fixture = try await StoreFixture(backend)
        let old = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("old"), now: fixture.now))
        try await fixture.store.finishIdempotencyKey(old, response: StoredResponse(status: 201, body: "old"))
        let later = fixture.now.addingTimeInterval(3600)
        let recent = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("recent"), now: later))
        try await fixture.store.finishIdempotencyKey(recent, response: StoredResponse(status: 201, body: "recent"))

        let dayLater = fixture.now.addingTimeInterval(IdempotencyPolicy.retention + 1)
        // Past 24 hours a key is new again, purged or not.
        _ = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("old", fingerprint: "fp-new"), now: dayLater))
        #expect(try await fixture.store.purgeIdempotencyKeys(olderThan: fixture.now) == 0)
        #expect(try await fixture.store.purgeIdempotencyKeys(olderThan: later) == 0)
        #expect(try await fixture.store.purgeIdempotencyKeys(olderThan: later.addingTimeInterval(1)) == 1)
        #expect(try await fixture.store.claimIdempotencyKey(Self.key("old", fingerprint: "fp-new"), now: dayLater) == .inFlight)
        #expect(try await fixture.store.purgeIdempotencyKeys(olderThan: dayLater.addingTimeInterval(1)) == 1)
        _ = try Self.claimed(try await fixture.store.claimIdempotencyKey(Self.key("recent"), now: dayLater))
    }
}
