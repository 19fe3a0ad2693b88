import AuctionCore
import Foundation
import Logging

/// One bidding scenario against the server: K lots, N bidders, M subscribers per lot.
struct BidRunPlan: Sendable {
    let name: String
    let lots: Int
    let bidders: Int
    let subscribersPerLot: Int
    let duration: Duration
    /// How each bidder bids.
    var bidder: BidderWorkload.Bidder = BidderWorkload.fixedIncrement
}

enum BidRun {
    static let startingPrice = Money(cents: 100)

    static func run(_ plan: BidRunPlan, server: ServerTarget, logger: Logger) async throws -> BidRunResult {
        let address = server.address
        let prefix = Accounts.runPrefix()
        let admin = AuctionAPI(connection: try await HTTPConnection.connect(host: address.host, port: address.port))
        defer { Task { await admin.connection.close() } }

        // Setup, not timed: the lots' owner, the bidders, the lots, the subscribers.
        let owner = try await Accounts.register(count: 1, prefix: prefix + "-owner", server: address)[0]
        let bidders = try await Accounts.register(count: plan.bidders, prefix: prefix, server: address)
        var lots: [AuctionAPI.LotState] = []
        for index in 0..<plan.lots {
            let id = try await admin.createLot(token: owner.token, title: "\(plan.name) \(index)", startingPrice: startingPrice)
            lots.append(try await admin.lot(id: id))
        }
        var subscribers: [Subscriber] = []
        for lot in lots {
            for _ in 0..<plan.subscribersPerLot {
                subscribers.append(
                    try await Subscriber.connect(
                        url: "\(address.socketBase)/ws/lots/\(lot.id)", lotID: lot.id, startSeq: lot.seq, logger: logger))
            }
        }

        let before = server.sample()
        let (tally, seconds) = try await BidderWorkload.run(
            accounts: bidders, lots: lots, server: address, duration: plan.duration, bidder: plan.bidder)
        let after = server.sample()

        // Let the last events reach the subscribers, then audit against the log.
        var lastSeqs: [Int64: Int64] = [:]
        for lot in lots { lastSeqs[lot.id] = try await admin.lot(id: lot.id).seq }
        await drain(subscribers, lastSeqs: lastSeqs, timeout: .seconds(10))
        for subscriber in subscribers { await subscriber.close() }

        var audit = EventAudit()
        let accepted = Set(tally.acceptedAt.keys)
        for lot in lots {
            audit.checkLog(try await admin.events(lotID: lot.id), lotID: lot.id, accepted: accepted)
        }
        for subscriber in subscribers {
            audit.checkSubscriber(subscriber, lastSeq: lastSeqs[subscriber.lotID] ?? 0, acceptedAt: tally.acceptedAt)
        }
        let usage = server.usage(timedStart: before, timedEnd: after)
        return BidRunResult(
            scenario: plan.name, lots: plan.lots, bidders: plan.bidders, subscribersPerLot: plan.subscribersPerLot,
            seconds: seconds, attempted: tally.attempted, accepted: tally.accepted, errors: tally.errors,
            firstError: tally.firstError, attemptedPerSecond: Double(tally.attempted) / seconds,
            acceptedPerSecond: Double(tally.accepted) / seconds, bidLatency: tally.latency.summary,
            eventLatency: audit.deliveryLatency.summary, eventsOvertookResponse: audit.overtookResponse,
            missed: audit.missed, duplicated: audit.duplicated, outOfOrder: audit.outOfOrder,
            violations: audit.violations, logGaps: audit.logGaps,
            acknowledgedNotLogged: audit.acknowledgedNotLogged,
            server: usage,
            perServerCore: PerCoreRates(attempted: tally.attempted, accepted: tally.accepted, server: usage))
    }

    /// Waits until every subscriber has as many messages as its lot has events since
    /// it joined, or the timeout passes (what is still missing then counts as missed).
    static func drain(_ subscribers: [Subscriber], lastSeqs: [Int64: Int64], timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let behind = subscribers.contains { subscriber in
                subscriber.log.count < Int((lastSeqs[subscriber.lotID] ?? 0) - subscriber.startSeq)
            }
            if !behind { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
