import Foundation

/// The effect calls without an idempotency key, as most callers make them.
extension AuctionStore {
    public func createUser(username: String, passwordHash: String) async throws -> User {
        try await createUser(username: username, passwordHash: passwordHash, idempotency: nil)
    }

    public func createLot(_ lot: NewLot, now: Date) async throws -> Lot {
        try await createLot(lot, now: now, idempotency: nil)
    }

    /// A bid without a maximum (the original API's bid).
    public func placeBid(lotID: Int64, bidderID: Int64, amount: Money, mode: BidMode, now: Date) async throws -> BidOutcome {
        try await placeBid(
            lotID: lotID, bidderID: bidderID, amount: amount, maxAmount: nil, mode: mode, now: now, idempotency: nil)
    }

    public func placeBid(
        lotID: Int64, bidderID: Int64, amount: Money?, maxAmount: Money?, mode: BidMode, now: Date
    ) async throws -> BidOutcome {
        try await placeBid(
            lotID: lotID, bidderID: bidderID, amount: amount, maxAmount: maxAmount, mode: mode, now: now,
            idempotency: nil)
    }
}
