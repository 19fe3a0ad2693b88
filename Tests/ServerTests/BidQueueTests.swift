import AuctionCore
@testable import AuctionServer
import Foundation
import Testing

/// One bid per lot at the store from a node; the order and the answers of the waiters.
@Suite("Bid queue", .timeLimit(.minutes(10)))
struct BidQueueTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func raise(_ bidder: Int64, cents: Int64?) -> BidRequest {
        BidRequest(bidderID: bidder, amount: cents.map(Money.init(cents:)), mode: .raise)
    }

    /// Starts a waiter for `request` and returns once the queue holds it.
    static func wait(
        _ queue: BidQueue, lot: Int64, _ request: BidRequest, into group: inout TaskGroup<(Int64, BidQueue.Turn?)>
    ) async {
        let before = queue.waiting(lotID: lot)
        group.addTask {
            let turn = try? await queue.take(lotID: lot, request: request, now: now)
            return (request.bidderID, turn)
        }
        while queue.waiting(lotID: lot) == before { await Task.yield() }
    }

    static func neverRefused(_: BidRequest, _: Date) -> Bool { false }

    @Test func theFirstBidHasTheTurnAtOnceAndTheNextWaitsForIt() async throws {
        let queue = BidQueue(batch: 1)
        #expect(try await queue.take(lotID: 1, request: Self.raise(1, cents: 100), now: Self.now) == .yours)
        // Another lot is not held up.
        #expect(try await queue.take(lotID: 2, request: Self.raise(1, cents: 100), now: Self.now) == .yours)
        await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            await Self.wait(queue, lot: 1, Self.raise(2, cents: 100), into: &group)
            #expect(queue.waiting(lotID: 1) == 1)
            queue.release(lotID: 1, refused: Self.neverRefused)
            let (bidder, turn) = await group.next()!
            #expect(bidder == 2 && turn == .yours)
        }
        queue.release(lotID: 1, refused: Self.neverRefused)
        // Free again: the next bid does not wait.
        #expect(try await queue.take(lotID: 1, request: Self.raise(3, cents: 1), now: Self.now) == .yours)
    }

    @Test("the highest amount goes next, a maximum alone first, equal amounts in arrival order")
    func highestFirst() async throws {
        let queue = BidQueue(batch: 1)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        let order = await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            for (bidder, cents) in [(1, 500), (2, 900), (3, 700), (4, nil), (5, 900)] as [(Int64, Int64?)] {
                await Self.wait(queue, lot: 1, Self.raise(bidder, cents: cents), into: &group)
            }
            var order: [Int64] = []
            for _ in 0..<5 {
                queue.release(lotID: 1, refused: Self.neverRefused)
                let (bidder, turn) = await group.next()!
                #expect(turn == .yours)
                order.append(bidder)
            }
            return order
        }
        // Bidder 1 was passed over three times by later arrivals, one short of the limit.
        #expect(order == [4, 2, 5, 3, 1])
    }

    @Test func aWaiterPassedOverTheLimitGoesNext() async throws {
        let queue = BidQueue(batch: 1)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            await Self.wait(queue, lot: 1, Self.raise(1, cents: 100), into: &group)
            // Each round a higher bid arrives and is taken before bidder 1.
            for round in 0..<BidQueue.passLimit {
                let bidder = Int64(10 + round)
                await Self.wait(queue, lot: 1, Self.raise(bidder, cents: 1_000 + Int64(round)), into: &group)
                queue.release(lotID: 1, refused: Self.neverRefused)
                let (next, _) = await group.next()!
                #expect(next == bidder)
            }
            await Self.wait(queue, lot: 1, Self.raise(99, cents: 5_000), into: &group)
            queue.release(lotID: 1, refused: Self.neverRefused)
            #expect(await group.next()!.0 == 1)
            queue.release(lotID: 1, refused: Self.neverRefused)
            #expect(await group.next()!.0 == 99)
        }
    }

    @Test("at release the waiters the node is now sure of are answered together")
    func refusedWaiters() async throws {
        let queue = BidQueue(batch: 1)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            for (bidder, cents) in [(1, 100), (2, 300), (3, 200), (4, 400)] as [(Int64, Int64)] {
                await Self.wait(queue, lot: 1, Self.raise(bidder, cents: cents), into: &group)
            }
            // The last answer made every bid below 3.00 certain to fail.
            queue.release(lotID: 1) { request, now in
                #expect(now == Self.now)
                return request.amount! < Money(cents: 300)
            }
            var turns: [Int64: BidQueue.Turn] = [:]
            for _ in 0..<3 {
                let (bidder, turn) = await group.next()!
                turns[bidder] = turn
            }
            #expect(turns == [1: .refused, 3: .refused, 4: .yours])
            #expect(queue.waiting(lotID: 1) == 1)
            queue.release(lotID: 1, refused: Self.neverRefused)
            let (bidder, turn) = await group.next()!
            #expect(bidder == 2 && turn == .yours)
        }
    }

    @Test("when the store failed a bid, every waiter goes to it without the queue")
    func storeFailed() async throws {
        let queue = BidQueue(batch: 1)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            for bidder in 1...3 { await Self.wait(queue, lot: 1, Self.raise(Int64(bidder), cents: 100), into: &group) }
            queue.release(lotID: 1, storeFailed: true, refused: Self.neverRefused)
            var turns: [BidQueue.Turn?] = []
            for await (_, turn) in group { turns.append(turn) }
            #expect(turns == [.unqueued, .unqueued, .unqueued])
        }
        #expect(try await queue.take(lotID: 1, request: Self.raise(5, cents: 1), now: Self.now) == .yours)
    }

    @Test func aCancelledWaiterLeavesTheQueueAndHoldsNoTurn() async throws {
        let queue = BidQueue(batch: 1)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        let waiter = Task { try await queue.take(lotID: 1, request: Self.raise(1, cents: 100), now: Self.now) }
        while queue.waiting(lotID: 1) == 0 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        #expect(queue.waiting(lotID: 1) == 0)
        queue.release(lotID: 1, refused: Self.neverRefused)
        #expect(try await queue.take(lotID: 1, request: Self.raise(2, cents: 1), now: Self.now) == .yours)
        // Cancelled before it could wait: it throws, and the turn stays with its holder.
        let early = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await queue.take(lotID: 1, request: Self.raise(3, cents: 100), now: Self.now)
        }
        await #expect(throws: CancellationError.self) { try await early.value }
        #expect(queue.waiting(lotID: 1) == 0)
    }

    @Test("a batch goes to the store together, and the next waits until all of it is answered")
    func batches() async throws {
        let queue = BidQueue(batch: 2)
        _ = try await queue.take(lotID: 1, request: Self.raise(0, cents: 1), now: Self.now)
        await withTaskGroup(of: (Int64, BidQueue.Turn?).self) { group in
            for (bidder, cents) in [(1, 100), (2, 300), (3, 200)] as [(Int64, Int64)] {
                await Self.wait(queue, lot: 1, Self.raise(bidder, cents: cents), into: &group)
            }
            queue.release(lotID: 1, refused: Self.neverRefused)
            var first: Set<Int64> = []
            for _ in 0..<2 {
                let (bidder, turn) = await group.next()!
                #expect(turn == .yours)
                first.insert(bidder)
            }
            #expect(first == [2, 3])
            #expect(queue.waiting(lotID: 1) == 1)
            // One of the two answered: the third still waits for the other.
            queue.release(lotID: 1, refused: Self.neverRefused)
            #expect(queue.waiting(lotID: 1) == 1)
            queue.release(lotID: 1, refused: Self.neverRefused)
            let (bidder, turn) = await group.next()!
            #expect(bidder == 1 && turn == .yours)
        }
        queue.release(lotID: 1, refused: Self.neverRefused)
        #expect(try await queue.take(lotID: 1, request: Self.raise(4, cents: 1), now: Self.now) == .yours)
    }
}
