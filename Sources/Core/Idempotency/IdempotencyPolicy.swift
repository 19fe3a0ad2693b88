import Foundation

/// How long keys live and how a store decides a claim: the same rules on every
/// store (SQLite applies `decide` in Swift; PostgreSQL the same conditions in SQL).
public enum IdempotencyPolicy {
    /// API.md: a key is answered again for 24 hours, then forgotten (and purged).
    public static let retention: TimeInterval = 24 * 60 * 60
    /// A claim still running after this long is taken to be a crashed node's and may
    /// be taken over by a retry. Far above any request's own bound (a store call
    /// times out within seconds), so a live request never loses its key.
    public static let lease: TimeInterval = 60

    /// The key's row as a store keeps it.
    public struct Row: Sendable, Equatable {
        public let fingerprint: String
        public let response: StoredResponse?
        public let createdAt: Date
        public let claimedAt: Date

        public init(fingerprint: String, response: StoredResponse?, createdAt: Date, claimedAt: Date) {
            self.fingerprint = fingerprint
            self.response = response
            self.createdAt = createdAt
            self.claimedAt = claimedAt
        }
    }

    public enum Decision: Sendable, Equatable {
        /// Write a fresh row (none, or one older than the retention): a new claim.
        case insert
        /// Keep the row's creation time, take its claim over (a lease that ran out).
        case takeOver
        case answer(IdempotencyClaimResult)
    }

    public static func decide(existing row: Row?, fingerprint: String, now: Date) -> Decision {
        guard let row, row.createdAt > now.addingTimeInterval(-retention) else { return .insert }
        guard row.fingerprint == fingerprint else { return .answer(.mismatch) }
        if let response = row.response { return .answer(.replay(response)) }
        return row.claimedAt > now.addingTimeInterval(-lease) ? .answer(.inFlight) : .takeOver
    }
}
