import AuctionCore
import Foundation

/// The store as the server uses it: every call timed into
/// `auction_store_call_duration_seconds{operation}`, and each bid's outcome counted
/// (accepted, or refused by reason), where the store decides it.
struct MeteredStore: AuctionStore {
    let base: any AuctionStore
    let metrics: ServerMetrics

    static let operations = [
        "ping", "create_user", "user", "create_lot", "lot", "lots", "set_status", "close_expired_lots",
        "place_bid", "bids", "events", "latest_seqs", "user_events", "latest_user_seqs", "claim_idempotency_key",
        "finish_idempotency_key", "purge_idempotency_keys",
    ]

    private func timed<T>(_ operation: String, _ call: () async throws -> T) async throws -> T {
        let start = ContinuousClock.now
        defer { metrics.storeCall(operation, took: ContinuousClock.now - start) }
        return try await call()
    }

    func run() async throws { try await base.run() }
    func migrate() async throws { try await base.migrate() }
    func isSchemaCurrent() async throws -> Bool { try await base.isSchemaCurrent() }
    func ping() async throws { try await timed("ping") { try await base.ping() } }

    func createUser(username: String, passwordHash: String, idempotency: IdempotentRecording<User>?) async throws -> User {
        try await timed("create_user") {
            try await base.createUser(username: username, passwordHash: passwordHash, idempotency: idempotency)
        }
    }

    func user(named username: String) async throws -> User? {
        try await timed("user") { try await base.user(named: username) }
    }

    func user(id: Int64) async throws -> User? {
        try await timed("user") { try await base.user(id: id) }
    }

    func createLot(_ lot: NewLot, now: Date, idempotency: IdempotentRecording<Lot>?) async throws -> Lot {
        try await timed("create_lot") { try await base.createLot(lot, now: now, idempotency: idempotency) }
    }

    func lot(id: Int64) async throws -> Lot? {
        try await timed("lot") { try await base.lot(id: id) }
    }

    func lots(filter: LotFilter, limit: Int, after: Int64?) async throws -> [Lot] {
        try await timed("lots") { try await base.lots(filter: filter, limit: limit, after: after) }
    }

    func setStatus(lotID: Int64, status: LotStatus, by userID: Int64, now: Date) async throws -> [EventRecord] {
        try await timed("set_status") { try await base.setStatus(lotID: lotID, status: status, by: userID, now: now) }
    }

    func closeExpiredLots(now: Date, limit: Int) async throws -> [EventRecord] {
        try await timed("close_expired_lots") { try await base.closeExpiredLots(now: now, limit: limit) }
    }

    func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date,
        idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        try await timed("place_bid") {
            do {
                let outcome = try await base.placeBid(
                    lotID: lotID, bidderID: bidderID, amount: amount, maxAmount: maxAmount, mode: mode, now: now,
                    idempotency: idempotency)
                metrics.bidsAccepted.increment()
                return outcome
            } catch {
                metrics.bidRefused(error)
                throw error
            }
        }
    }

    func bids(lotID: Int64, limit: Int, after: BidCursor?) async throws -> [Bid] {
        try await timed("bids") { try await base.bids(lotID: lotID, limit: limit, after: after) }
    }

    func events(lotID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        try await timed("events") { try await base.events(lotID: lotID, since: since, limit: limit) }
    }

    func latestSeqs(lotIDs: [Int64]) async throws -> [Int64: Int64] {
        try await timed("latest_seqs") { try await base.latestSeqs(lotIDs: lotIDs) }
    }

    func claimIdempotencyKey(_ key: IdempotencyKey, now: Date) async throws -> IdempotencyClaimResult {
        try await timed("claim_idempotency_key") { try await base.claimIdempotencyKey(key, now: now) }
    }

    func finishIdempotencyKey(_ claim: IdempotencyClaim, response: StoredResponse?) async throws {
        try await timed("finish_idempotency_key") { try await base.finishIdempotencyKey(claim, response: response) }
    }

    func purgeIdempotencyKeys(olderThan cutoff: Date) async throws -> Int {
        try await timed("purge_idempotency_keys") { try await base.purgeIdempotencyKeys(olderThan: cutoff) }
    }

    func userEvents(userID: Int64, since: Int64, limit: Int) async throws -> [EventRecord] {
        try await timed("user_events") { try await base.userEvents(userID: userID, since: since, limit: limit) }
    }

    func latestUserSeqs(userIDs: [Int64]) async throws -> [Int64: Int64] {
        try await timed("latest_user_seqs") { try await base.latestUserSeqs(userIDs: userIDs) }
    }
}
