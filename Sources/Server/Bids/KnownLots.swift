import AuctionCore
import Foundation
import Synchronization

/// This node's `KnownLot`s, bounded: the lots its bids went to, learnt from the
/// store's answers and the lot events this node publishes. It only saves work, so
/// past `capacity` lots it starts over (each lot is read again on its next raise).
final class KnownLots: Sendable {
    private let lots = Mutex<[Int64: KnownLot]>([:])
    let capacity: Int

    init(capacity: Int = 10_000) {
        self.capacity = capacity
    }

    /// The store's refusal of `request` on the lot, when this node is sure of it.
    /// Nil for a lot it does not know, or when only the store can tell.
    func refusal(lotID: Int64, of request: BidRequest, now: Date) -> AuctionError? {
        lots.withLock { $0[lotID]?.refusal(of: request, now: now) }
    }

    /// Whether this node can judge `request`'s amount on the lot (`KnownLot.judgesAmount`).
    func judgesAmount(lotID: Int64, of request: BidRequest) -> Bool {
        lots.withLock { $0[lotID]?.judgesAmount(of: request) ?? false }
    }

    func knows(lotID: Int64) -> Bool {
        lots.withLock { $0[lotID] != nil }
    }

    /// A lot as the store read it.
    func read(_ lot: Lot) {
        lots.withLock { lots in
            if var known = lots[lot.id] {
                known.read(lot)
                lots[lot.id] = known
            } else {
                if lots.count >= capacity { lots.removeAll(keepingCapacity: true) }
                lots[lot.id] = KnownLot(lot: lot)
            }
        }
    }

    func accepted(_ outcome: BidOutcome) {
        update(outcome.bid.lotID) { $0.accepted(outcome) }
    }

    func refused(_ error: AuctionError, lotID: Int64, request: BidRequest) {
        update(lotID) { $0.refused(error, request: request) }
    }

    /// Events this node publishes: a lot's closing or status change ends it.
    func published(_ events: [EventRecord]) {
        for event in events where event.finishesLot {
            update(event.lotID) { $0.finished() }
        }
    }

    /// Only lots already known learn: what an answer teaches needs the lot's rules.
    private func update(_ lotID: Int64, _ change: (inout KnownLot) -> Void) {
        lots.withLock { lots in
            guard var known = lots[lotID] else { return }
            change(&known)
            lots[lotID] = known
        }
    }
}
