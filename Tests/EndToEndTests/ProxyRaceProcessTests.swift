import AuctionCore
import Foundation
import TestSupport
import Testing

/// The proxy race over HTTP (issue 11): 64 users with random maximums bid on one lot
/// through two server processes on one PostgreSQL. The accepted bids, replayed in
/// commit order (their own `bid_placed` in the log) through the pure rules, give
/// the log, the lot and every answer's `leading`; no seq gap; visible prices strictly
/// increase except in the one case API.md's rules force: a bid whose amount is its
/// maximum and equals the leader's is accepted not leading, and the leader's
/// automatic raise, capped at that maximum, is the same amount (`VisiblePriceAudit`
/// asserts that this is the only exception). The store-level race: StoreTests/ProxyRaceTests.
@Suite("Proxy race across processes", .serialized)
struct ProxyRaceProcessTests {
    private struct Racer: Sendable {
        let account: Account
        /// The replay's id for the user (the rules compare ids only).
        let id: Int64
        let maximum: Money
        let usesMaximum: Bool
    }

    private struct Accepted: Sendable {
        let request: BidRequest
        let bidder: String
        let leading: Bool
    }

    private static let start = Money(cents: 10_00)
    private static let increment = Money(cents: 50)

    @Test func sixtyFourMaximumsThroughTwoNodesEndWhereThePureRulesPutThem() async throws {
        let cluster = try Cluster(
            count: 2, environment: Cluster.environment(broker: Cluster.redis(try ServiceEnvironment.redisURL())))
        defer { cluster.stop() }
        try await cluster.start()
        let nodes = cluster.nodes
        let owner = try await Account.register(on: nodes[0], prefix: "proxy-owner")
        let (created, lotBody) = try await HTTP.request(
            "POST", nodes[0].baseURL.appendingPathComponent("lots"),
            form: ["title": "race", "description": "lot", "starting_price": "\(Self.start)",
                   "min_increment": "\(Self.increment)"],
            token: owner.token)
        let lot = try #require((lotBody["id"] as? NSNumber)?.int64Value, "create lot: \(created)")

        var racers: [Racer] = []
        for index in 0..<64 {
            let account = try await Account.register(on: nodes[index % 2], prefix: "proxy")
            // Maximums 20.00 to 60.00 on the increment's grid: close together, so the price
            // climbs through many bids, and a minimum bid often meets the leader's maximum
            // exactly (the tie the audit allows). Half bid with theirs.
            let maximum = Money(cents: Int64.random(in: 40...120) * Self.increment.cents)
            racers.append(Racer(account: account, id: Int64(index + 1), maximum: maximum, usesMaximum: index % 2 == 0))
        }
        let all = racers
        let accepted = try await withThrowingTaskGroup(of: [Accepted].self) { group in
            for (index, racer) in all.enumerated() {
                group.addTask { try await Self.bid(as: racer, lot: lot, nodes: nodes, first: index % 2) }
            }
            return try await group.reduce([], +)
        }
        #expect(!accepted.isEmpty)

        // Commit order: the order of the requests' own (not automatic) bids in the log.
        let log = try await EventLog.read(nodes[1], lot: lot)
        #expect(log.seqs == Array(1...Int64(log.events.count)), "seqs: \(log.seqs)")
        let visible = log.events.filter { $0.type == "bid_placed" }
        #expect(visible.count == log.events.count, "only bids in the log")
        var byBid: [String: Accepted] = [:]
        for bid in accepted { byBid["\(bid.bidder) \(bid.request.amount!)"] = bid }
        let ordered = visible.filter { !$0.auto }.compactMap { byBid["\($0.bidder ?? "") \(Self.money($0.amount))"] }
        #expect(ordered.count == accepted.count && visible.filter { !$0.auto }.count == accepted.count)

        var names: [Int64: String] = [:]
        for racer in all { names[racer.id] = racer.account.username }
        var replay = ProxyReplay(lot: Self.lot(lot, owner: owner.username))
        for bid in ordered { try replay.apply(bid.request, now: Date(), names: names) }
        let replayed = replay.events.compactMap { VisiblePriceAudit.Visible($0) }
        let logged = visible.map { VisiblePriceAudit.Visible(bidder: $0.bidder ?? "", amount: Self.money($0.amount), auto: $0.auto) }
        #expect(logged == replayed)
        #expect(ordered.map(\.leading) == replay.leading)

        let (_, final) = try await HTTP.request("GET", nodes[0].baseURL.appendingPathComponent("lots/\(lot)"))
        #expect(Self.money(final["highest_price"]) == replay.state.lot.highestPrice)
        #expect(final["highest_bidder"] as? String == replay.state.lot.highestBidder && replay.state.lot.highestBidder != nil)
        #expect((final["bid_count"] as? NSNumber)?.intValue == replay.state.lot.bidCount)
        #expect((final["seq"] as? NSNumber)?.int64Value == replay.state.lot.seq)

        #expect(replay.audit.violations.isEmpty, "\(replay.audit.violations.prefix(5))")
        print(
            "proxy race over HTTP, 2 nodes: \(accepted.count) accepted bids, \(log.events.count) events, "
                + "\(replay.audit.ties.count) ties, final \(replay.state.lot.highestPrice)")
    }

    /// Bids the lot's `next_minimum_bid`, alternating nodes, until it passes the
    /// racer's maximum, or 40 tries; returns the accepted requests. A racer who uses
    /// a maximum sends a `max_amount` 0 to 6 increments above the amount (never above
    /// their maximum), so that the server raises for them often and by little. A
    /// leader looks again a little later. A 400 is a bid another beat.
    private static func bid(as racer: Racer, lot: Int64, nodes: [ServerProcess], first: Int) async throws -> [Accepted] {
        var accepted: [Accepted] = []
        var mode = BidMode.create
        for attempt in 0..<40 {
            let node = nodes[(first + attempt) % nodes.count]
            let (_, current) = try await HTTP.request("GET", node.baseURL.appendingPathComponent("lots/\(lot)"))
            if current["highest_bidder"] as? String == racer.account.username {
                try await Task.sleep(for: .milliseconds(20))
                continue
            }
            let amount = money(current["next_minimum_bid"])
            guard amount <= racer.maximum else { break }
            let step = Money(cents: Int64.random(in: 0...6) * increment.cents)
            let maxAmount = racer.usesMaximum ? min(racer.maximum, amount + step) : nil
            var form = ["amount": "\(amount)"]
            if let maxAmount { form["max_amount"] = "\(maxAmount)" }
            let (status, body) = try await HTTP.request(
                mode == .create ? "POST" : "PATCH", node.baseURL.appendingPathComponent("lots/\(lot)/bids"), form: form,
                token: racer.account.token)
            switch status {
            case 200, 201:
                let request = BidRequest(bidderID: racer.id, amount: amount, maxAmount: maxAmount, mode: mode)
                accepted.append(Accepted(
                    request: request, bidder: racer.account.username, leading: body["leading"] as? Bool ?? false))
                mode = .raise
            case 400 where (body["detail"] as? String)?.contains("higher") == true:
                continue  // another bid got there first: read the lot again
            default:
                throw Failure("bid \(amount): \(status) \(body)")
            }
        }
        return accepted
    }

    /// The lot as the server created it, for the replay.
    private static func lot(_ id: Int64, owner: String) -> Lot {
        Lot(
            id: id, title: "race", description: "lot", startingPrice: start, status: .running, highestPrice: start,
            highestBidder: nil, bidCount: 0, ownerID: 0, owner: owner, createdAt: Date(), endsAt: nil,
            minIncrement: increment, softCloseSeconds: nil, seq: 0)
    }

    /// A JSON amount (a number, as the API writes money) in cents, exactly.
    private static func money(_ value: Any?) -> Money {
        let number = (value as? NSNumber)?.doubleValue ?? (value as? Decimal).map { NSDecimalNumber(decimal: $0).doubleValue } ?? -1
        return Money(cents: Int64((number * 100).rounded()))
    }
}
