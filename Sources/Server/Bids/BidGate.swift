import AuctionCore
import Foundation

/// Places bids: a bid this node knows the store would refuse (one below the
/// lot's known minimum, any on a lot known finished: `KnownLot`) is refused here
/// with the store's own error, counted as the store's refusals are; every other
/// bid goes to the store, which decides every bid it accepts, and its answer
/// teaches `known`. On a hot lot most bids cannot win, and each one the store
/// refuses costs it a read (on PostgreSQL a transaction, before issue 14).
struct BidGate: Sendable {
    let store: any AuctionStore
    let known: KnownLots
    let metrics: ServerMetrics

    func placeBid(
        lotID: Int64, request: BidRequest, now: Date, idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        if let refusal = try await refusalWithoutStore(lotID: lotID, request: request, now: now) {
            metrics.bidRefused(refusal)
            throw refusal
        }
        do {
            let outcome = try await store.placeBid(
                lotID: lotID, bidderID: request.bidderID, amount: request.amount, maxAmount: request.maxAmount,
                mode: request.mode, now: now, idempotency: idempotency)
            known.accepted(outcome)
            return outcome
        } catch let error as AuctionError {
            known.refused(error, lotID: lotID, request: request)
            throw error
        }
    }

    /// A raise of an amount is the bid that may be refused here: its lot is read
    /// once when this node does not know it yet, so that the answers can teach.
    private func refusalWithoutStore(lotID: Int64, request: BidRequest, now: Date) async throws -> AuctionError? {
        if request.mode == .raise, request.amount != nil, !known.knows(lotID: lotID),
            let lot = try await store.lot(id: lotID)
        {
            known.read(lot)
        }
        return known.refusal(lotID: lotID, of: request, now: now)
    }
}
