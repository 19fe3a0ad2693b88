import Foundation

/// Where accounts, lots, bids and the event log live. Every method that changes
/// a lot does it in one transaction that also appends the lot's events, numbered
/// without gaps; the store, not the caller, serializes concurrent bids.
///
/// Errors: `AuctionError` for refusals (a lot not found, a bid too low, ...),
/// `AuctionError.unavailable` when the database cannot be reached.
public protocol AuctionStore: Sendable {
    /// Runs until cancelled (a connection pool, say); returns at once when there is nothing to run.
    func run() async throws

    /// Brings the schema up to date. Safe to call on a current schema.
    func migrate() async throws
    /// Whether every migration has been applied.
    func isSchemaCurrent() async throws -> Bool
    /// Answers when the database does (for readiness checks).
    func ping() async throws

    // Accounts
    /// Throws `AuctionError.usernameTaken` when the name exists. Calls that make an
    /// effect take an optional `IdempotentRecording`, kept in their transaction.
    func createUser(username: String, passwordHash: String, idempotency: IdempotentRecording<User>?) async throws -> User
    func user(named username: String) async throws -> User?
    func user(id: Int64) async throws -> User?

    // Lots
    func createLot(_ lot: NewLot, now: Date, idempotency: IdempotentRecording<Lot>?) async throws -> Lot
    func lot(id: Int64) async throws -> Lot?
    /// Newest first (descending id); `after` is a cursor: only lots with a smaller id.
    func lots(filter: LotFilter, limit: Int, after: Int64?) async throws -> [Lot]
    /// Changes the lot's status as its owner. Returns the events appended (the
    /// lot's, then the users' own they caused, see `EventRecord.stream`): none
    /// when the status is already `status`. Throws `lotNotFound`, `notOwner`,
    /// `cannotReopen`.
    func setStatus(lotID: Int64, status: LotStatus, by userID: Int64, now: Date) async throws -> [EventRecord]
    /// Finishes every running lot whose end has passed, each exactly once even with
    /// several servers calling this at the same time. Returns the events appended
    /// (`lot_status_changed` then `lot_closed`, per lot; then the users' own they caused).
    func closeExpiredLots(now: Date, limit: Int) async throws -> [EventRecord]

    // Bids
    /// Accepts the bid only if, when it commits, `ProxyRules.decide` accepts it
    /// over the lot as it then stands; then writes its decision (the lot, the
    /// bidder's bid, the leader's automatic raise) and appends the events, all in
    /// one transaction. `amount` nil changes the maximum alone (a raise).
    func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date,
        idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome
    /// The lot's bids, highest first (ties: the oldest first), each with `leading`;
    /// maximums are left out. At most `limit`, after `after` when given. Throws `lotNotFound`.
    func bids(lotID: Int64, limit: Int, after: BidCursor?) async throws -> [Bid]

    // Events
    /// The lot's events with `seq > since`, in order, at most `limit`.
    func events(lotID: Int64, since: Int64, limit: Int) async throws -> [EventRecord]
    /// The last event number of each lot named (absent lots are left out).
    func latestSeqs(lotIDs: [Int64]) async throws -> [Int64: Int64]

    // Idempotency keys (see `IdempotencyPolicy`)
    /// Claims the key for a request, or says why not (a replay, in flight, a mismatch).
    func claimIdempotencyKey(_ key: IdempotencyKey, now: Date) async throws -> IdempotencyClaimResult
    /// Ends a claim whose request made no effect: keeps `response` (a refusal) to be
    /// answered again, or with nil forgets the key so that a retry runs anew.
    /// Does nothing when the claim is no longer the key's or was answered.
    func finishIdempotencyKey(_ claim: IdempotencyClaim, response: StoredResponse?) async throws
    /// Deletes the keys first claimed before `cutoff`; returns how many.
    func purgeIdempotencyKeys(olderThan cutoff: Date) async throws -> Int

    // Users' own events (`UserEvent`), written in the transaction of the change
    // that caused them, numbered per user without gaps.
    /// The user's events with `seq > since`, in order, at most `limit`.
    func userEvents(userID: Int64, since: Int64, limit: Int) async throws -> [EventRecord]
    /// The last user-event number of each user named (users without events are left out).
    func latestUserSeqs(userIDs: [Int64]) async throws -> [Int64: Int64]
}
