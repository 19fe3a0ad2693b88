import AuctionCore
import Foundation
import Synchronization

/// A few bids per lot from this node at the store at a time (`batch`); the
/// others wait here. On a hot lot the bids that wait together race for one price: the
/// store can take one of them and refuse the rest, each refusal costing it the
/// lot's lock (PostgreSQL) or the single writer's time (SQLite). Here the highest
/// goes first, and when its answer comes every waiting bid that `KnownLot` is
/// now sure the store would refuse is answered at once, so most of a crowd costs
/// the store one call. Concurrent requests may be ordered either way; the store
/// still decides every bid it takes, across nodes too.
///
/// A waiter passed over `passLimit` times by later arrivals goes next, so a low
/// bid that only the store can judge (a first POST, a maximum alone) is not
/// starved by a stream of higher ones.
final class BidQueue: Sendable {
    enum Turn: Equatable {
        /// The lot is this bid's: call the store, then `release`.
        case yours
        /// While it waited, this node learnt that the store would refuse it: ask `KnownLots`.
        case refused
        /// The store failed the bid before (unreachable, timed out): go to it
        /// without a turn, so that a failing store fails the waiters together,
        /// not one timeout after another.
        case unqueued
    }

    /// Decides at release whether a waiting bid's refusal is now certain (`KnownLots`).
    typealias RefusalCheck = (_ request: BidRequest, _ now: Date) -> Bool

    static let passLimit = 4

    private struct Waiter {
        let id: UInt64
        let request: BidRequest
        let now: Date
        var passed = 0
        let continuation: CheckedContinuation<Turn, any Error>
    }

    /// A lot with bids at the store: how many, and its waiters in arrival order.
    private struct Line {
        var atStore = 1
        var waiters: [Waiter] = []
    }

    private struct State {
        var lines: [Int64: Line] = [:]
        var lastID: UInt64 = 0
        /// Waiters between `take` and their continuation's registration, and those cancelled then.
        var arriving: Set<UInt64> = []
        var cancelledArriving: Set<UInt64> = []
    }

    private let state = Mutex(State())
    /// How many bids of a lot go to the store together.
    let batch: Int

    init(batch: Int = 4) {
        self.batch = max(1, batch)
    }

    /// Waits for the lot's turn, or for a certain refusal; throws `CancellationError`
    /// when the request's task ends first (it then holds no turn).
    func take(lotID: Int64, request: BidRequest, now: Date) async throws -> Turn {
        let id: UInt64? = state.withLock { state in
            guard state.lines[lotID] != nil else {
                state.lines[lotID] = Line()
                return nil
            }
            state.lastID &+= 1
            state.arriving.insert(state.lastID)
            return state.lastID
        }
        guard let id else { return .yours }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Turn, any Error>) in
                let immediate: Result<Turn, any Error>? = state.withLock { state in
                    state.arriving.remove(id)
                    if state.cancelledArriving.remove(id) != nil { return .failure(CancellationError()) }
                    // Released between `take` and here: the lot is free.
                    guard state.lines[lotID] != nil else {
                        state.lines[lotID] = Line()
                        return .success(.yours)
                    }
                    state.lines[lotID]?.waiters.append(
                        Waiter(id: id, request: request, now: now, continuation: continuation))
                    return nil
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let removed: Waiter? = state.withLock { state in
                if state.arriving.remove(id) != nil {
                    state.cancelledArriving.insert(id)
                    return nil
                }
                guard let index = state.lines[lotID]?.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.lines[lotID]?.waiters.remove(at: index)
            }
            removed?.continuation.resume(throwing: CancellationError())
        }
    }

    /// Ends a bid's turn. Once the lot's last bid at the store is answered, the
    /// waiters `refused` is now sure of are answered, and the next `batch` go to
    /// the store (`passLimit`, else the highest amounts, a maximum alone first,
    /// then arrival), resumed lowest amount first, so that each can top the one
    /// before. When the store `failed` the bid, every waiter goes `.unqueued`.
    func release(lotID: Int64, storeFailed: Bool = false, refused: RefusalCheck) {
        var resumed: [(CheckedContinuation<Turn, any Error>, Turn)] = []
        state.withLock { state in
            guard var line = state.lines[lotID] else { return }
            line.atStore -= 1
            if storeFailed {
                resumed = line.waiters.map { ($0.continuation, .unqueued) }
                line.waiters = []
            }
            guard line.atStore == 0 else {
                state.lines[lotID] = line
                return
            }
            line.waiters.removeAll { waiter in
                guard refused(waiter.request, waiter.now) else { return false }
                resumed.append((waiter.continuation, .refused))
                return true
            }
            var next: [Waiter] = []
            while next.count < batch, let index = Self.next(in: line.waiters) {
                for earlier in line.waiters.indices[..<index] { line.waiters[earlier].passed += 1 }
                next.append(line.waiters.remove(at: index))
            }
            resumed += next.reversed().map { ($0.continuation, .yours) }
            line.atStore = next.count
            state.lines[lotID] = next.isEmpty ? nil : line
        }
        for (continuation, turn) in resumed { continuation.resume(returning: turn) }
    }

    /// How many bids wait for the lot (for tests).
    func waiting(lotID: Int64) -> Int {
        state.withLock { $0.lines[lotID]?.waiters.count ?? 0 }
    }

    private static func next(in waiters: [Waiter]) -> Int? {
        if let starved = waiters.firstIndex(where: { $0.passed >= passLimit }) { return starved }
        return waiters.indices.max { lhs, rhs in
            let (left, right) = (waiters[lhs].request.amount, waiters[rhs].request.amount)
            // On equal amounts the earlier arrival ranks higher.
            switch (left, right) {
            case (nil, nil): return lhs > rhs
            case (nil, _): return false
            case (_, nil): return true
            case (let left?, let right?): return left == right ? lhs > rhs : left < right
            }
        }
    }
}
