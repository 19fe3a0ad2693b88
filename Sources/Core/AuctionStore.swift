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
    /// Throws `AuctionError.usernameTaken` when the name exists.
    func createUser(username: String, passwordHash: String) async throws -> User
    func user(named username: String) async throws -> User?
    func user(id: Int64) async throws -> User?

    // Lots
    func createLot(_ lot: NewLot, now: Date) async throws -> Lot
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
    /// Accepts the bid only if, when it commits, `BiddingRules.check` passes;
    /// then updates the lot, upserts the bidder's bid and appends the events.
    func placeBid(lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date) async throws -> BidOutcome
    /// The lot's bids, highest first. Throws `lotNotFound`.
    func bids(lotID: Int64) async throws -> [Bid]

    // Events
    /// The lot's events with `seq > since`, in order, at most `limit`.
    func events(lotID: Int64, since: Int64, limit: Int) async throws -> [EventRecord]
    /// The last event number of each lot named (absent lots are left out).
    func latestSeqs(lotIDs: [Int64]) async throws -> [Int64: Int64]

    // Users' own events (`UserEvent`), written in the transaction of the change
    // that caused them, numbered per user without gaps.
    /// The user's events with `seq > since`, in order, at most `limit`.
    func userEvents(userID: Int64, since: Int64, limit: Int) async throws -> [EventRecord]
    /// The last user-event number of each user named (users without events are left out).
    func latestUserSeqs(userIDs: [Int64]) async throws -> [Int64: Int64]
}
