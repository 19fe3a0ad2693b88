import AuctionCore
import Foundation

/// Places bids: a bid this node knows the store would refuse (one below the
/// lot's known minimum, any on a lot known finished: `KnownLot`) is refused here
/// with the store's own error, counted as the store's refusals are. A bid whose
/// amount this node can judge waits for its lot's turn (`BidQueue`: a few per
/// lot at the store from this node, the highest first), is checked again, and
/// goes to the store; any other goes to the store at once. The store decides every bid
/// it accepts, and its answer teaches `known`. On a hot lot most bids cannot
/// win, and each one the store refuses costs it the lot's lock.
struct BidGate: Sendable {
    let store: any AuctionStore
    let known: KnownLots
    let queue: BidQueue
    let metrics: ServerMetrics

    init(store: any AuctionStore, known: KnownLots, queue: BidQueue = BidQueue(), metrics: ServerMetrics) {
        self.store = store
        self.known = known
        self.queue = queue
        self.metrics = metrics
    }

    func placeBid(
        lotID: Int64, request: BidRequest, now: Date, idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
        try await readIfUnknown(lotID: lotID, request: request)
        while true {
            try refuseIfKnown(lotID: lotID, request: request, now: now)
            // A bid this node cannot judge gains nothing by waiting: no answer can settle it here.
            guard known.judgesAmount(lotID: lotID, of: request) else {
                return try await placeAtStore(lotID: lotID, request: request, now: now, idempotency: idempotency)
            }
            switch try await queue.take(lotID: lotID, request: request, now: now) {
            case .refused:
                continue
            case .unqueued:
                try refuseIfKnown(lotID: lotID, request: request, now: now)
                return try await placeAtStore(lotID: lotID, request: request, now: now, idempotency: idempotency)
            case .yours:
                var storeFailed = false
                defer {
                    queue.release(lotID: lotID, storeFailed: storeFailed) {
                        known.refusal(lotID: lotID, of: $0, now: $1) != nil
                    }
                }
                do {
                    // The answers that came while it waited may settle it.
                    try refuseIfKnown(lotID: lotID, request: request, now: now)
                    return try await placeAtStore(lotID: lotID, request: request, now: now, idempotency: idempotency)
                } catch {
                    storeFailed = Self.isFailure(error)
                    throw error
                }
            }
        }
    }

    /// Not the rules' answer: the store could not decide (down, timed out, cancelled).
    static func isFailure(_ error: any Error) -> Bool {
        guard let error = error as? AuctionError else { return true }
        if case .unavailable = error { return true }
        return false
    }

    private func placeAtStore(
        lotID: Int64, request: BidRequest, now: Date, idempotency: IdempotentRecording<BidOutcome>?
    ) async throws -> BidOutcome {
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

    private func refuseIfKnown(lotID: Int64, request: BidRequest, now: Date) throws {
        if let refusal = known.refusal(lotID: lotID, of: request, now: now) {
            metrics.bidRefused(refusal)
            throw refusal
        }
    }

    /// A raise of an amount is the bid that may be refused here: its lot is read
    /// once when this node does not know it yet, so that the answers can teach.
    private func readIfUnknown(lotID: Int64, request: BidRequest) async throws {
        if request.mode == .raise, request.amount != nil, !known.knows(lotID: lotID),
            let lot = try await store.lot(id: lotID)
        {
            known.read(lot)
        }
    }
}
