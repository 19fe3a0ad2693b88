import AuctionCore
import Foundation
import Logging

/// The same bid transaction with the same concurrency and amounts, straight on a
/// fresh store (no HTTP, no auth, no events published): what the database alone
/// allows, the ceiling the server's figures are compared with.
enum DatabaseLimitWorkload {
    /// One worker's loop: worker `index`, its user and lot, until `deadline`.
    typealias Worker = @Sendable (
        _ index: Int, _ store: any AuctionStore, _ user: User, _ lot: Lot, _ deadline: UInt64
    ) async -> BidderTally

    /// The hot-lot and many-lots worker (`BidStrategy`).
    static let fixedIncrement: Worker = { await worker(store: $1, user: $2, lot: $3, deadline: $4) }

    static func run(
        name: String, lots lotCount: Int, workers: Int, duration: Duration, backends: BackendChoice, logger: Logger,
        worker: @escaping Worker = fixedIncrement
    ) async throws -> DatabaseLimitResult {
        let opened = try await DatabaseLimitStore.open(backends: backends, logger: logger)
        let store = opened.store
        let runner = Task { try await store.run() }
        defer {
            runner.cancel()
            opened.cleanup()
        }
        try await store.migrate()

        // Setup, not timed: users and lots, with names no earlier run used.
        let prefix = Accounts.runPrefix()
        let owner = try await store.createUser(username: "\(prefix)-owner", passwordHash: "x")
        var users: [User] = []
        for index in 0..<workers {
            users.append(try await store.createUser(username: "\(prefix)-\(index)", passwordHash: "x"))
        }
        var lots: [Lot] = []
        for index in 0..<lotCount {
            lots.append(
                try await store.createLot(
                    NewLot(title: "\(name) \(index)", description: "auction-bench", startingPrice: BidRun.startingPrice,
                           ownerID: owner.id),
                    now: Date()))
        }

        let start = MonotonicClock.nanoseconds()
        let deadline = start + UInt64(duration.seconds * 1e9)
        let tally = await withTaskGroup(of: BidderTally.self) { group in
            for (index, user) in users.enumerated() {
                let lot = lots[index % lots.count]
                group.addTask { await worker(index, store, user, lot, deadline) }
            }
            var total = BidderTally()
            for await tally in group { total.merge(tally) }
            return total
        }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9

        var audit = EventAudit()
        for lot in lots {
            audit.checkLog(try await logOf(lotID: lot.id, store: store), lotID: lot.id, accepted: Set(tally.acceptedAt.keys))
        }
        return DatabaseLimitResult(
            scenario: name, lots: lotCount, workers: workers, seconds: seconds, attempted: tally.attempted,
            accepted: tally.accepted, errors: tally.errors, firstError: tally.firstError,
            attemptedPerSecond: Double(tally.attempted) / seconds, acceptedPerSecond: Double(tally.accepted) / seconds,
            bidLatency: tally.latency.summary, violations: audit.violations + audit.logGaps + audit.acknowledgedNotLogged)
    }

    private static func worker(store: any AuctionStore, user: User, lot: Lot, deadline: UInt64) async -> BidderTally {
        var tally = BidderTally()
        var strategy = BidStrategy(minimumNext: BiddingRules.minimumBid(for: lot).cents)
        while MonotonicClock.nanoseconds() < deadline {
            let amount = strategy.nextAmount()
            let sent = MonotonicClock.nanoseconds()
            do {
                _ = try await store.placeBid(lotID: lot.id, bidderID: user.id, amount: amount, mode: strategy.mode, now: Date())
                tally.accepted += 1
                tally.acceptedAt[AcceptedBid(lotID: lot.id, bidder: user.username, cents: amount.cents)] = 0
                strategy.accepted(amount)
            } catch AuctionError.bidTooLow(let minimum) {
                strategy.tooLow(minimum: minimum)
            } catch AuctionError.alreadyBid {
                strategy.alreadyHasBid()
            } catch AuctionError.noBidYet {
                strategy.hasNoBid()
            } catch {
                tally.errors += 1
                tally.firstError = tally.firstError ?? "\(error)"
                if case AuctionError.lotFinished = error { return tally }
            }
            tally.attempted += 1
            tally.latency.record(nanoseconds: MonotonicClock.nanoseconds() - sent)
        }
        return tally
    }

    /// The lot's log, decoded as the API's events.
    private static func logOf(lotID: Int64, store: any AuctionStore) async throws -> [AuctionAPI.Event] {
        var events: [AuctionAPI.Event] = []
        let decoder = JSONDecoder()
        while true {
            let page = try await store.events(lotID: lotID, since: events.last?.seq ?? 0, limit: 1000)
            events += try page.map { try decoder.decode(AuctionAPI.Event.self, from: Data($0.json.utf8)) }
            if page.count < 1000 { return events }
        }
    }
}
