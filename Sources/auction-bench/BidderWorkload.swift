import AuctionCore
import Foundation

/// An accepted bid as its bidder saw it: the event it produced carries the same
/// bidder and amount (a bidder's amounts only increase, so the pair is unique).
struct AcceptedBid: Hashable, Sendable {
    let lotID: Int64
    let bidder: String
    let cents: Int64
}

/// What one bidder did during the timed run.
struct BidderTally: Sendable {
    var attempted = 0
    var accepted = 0
    var errors = 0
    var firstError: String?
    var latency = LatencyRecorder()
    /// When each accepted bid's response arrived (monotonic nanoseconds).
    var acceptedAt: [AcceptedBid: UInt64] = [:]

    mutating func merge(_ other: BidderTally) {
        attempted += other.attempted
        accepted += other.accepted
        errors += other.errors
        firstError = firstError ?? other.firstError
        latency.merge(other.latency)
        acceptedAt.merge(other.acceptedAt) { first, _ in first }
    }
}

/// N bidders over HTTP, each on its own keep-alive connection, bidding as fast
/// as their responses come back until the deadline; bidder i bids on lot i mod K.
enum BidderWorkload {
    /// One bidder's loop: bidder `index`, its lot and connection, until `deadline`.
    typealias Bidder = @Sendable (
        _ index: Int, _ account: BenchAccount, _ lot: AuctionAPI.LotState, _ api: AuctionAPI, _ deadline: UInt64
    ) async -> BidderTally

    /// The hot-lot and many-lots bidder (`BidStrategy`).
    static let fixedIncrement: Bidder = { await bidder(account: $1, lot: $2, api: $3, deadline: $4) }

    static func run(
        accounts: [BenchAccount], lots: [AuctionAPI.LotState], server: ServerAddress, duration: Duration,
        bidder: @escaping Bidder = fixedIncrement
    ) async throws -> (tally: BidderTally, seconds: Double) {
        var connections: [HTTPConnection] = []
        for _ in accounts { connections.append(try await HTTPConnection.connect(host: server.host, port: server.port)) }
        let start = MonotonicClock.nanoseconds()
        let deadline = start + UInt64(duration.components.seconds) * 1_000_000_000
            + UInt64(duration.components.attoseconds / 1_000_000_000)
        let tally = await withTaskGroup(of: BidderTally.self) { group in
            for (index, account) in accounts.enumerated() {
                let lot = lots[index % lots.count]
                let api = AuctionAPI(connection: connections[index])
                group.addTask { await bidder(index, account, lot, api, deadline) }
            }
            var total = BidderTally()
            for await tally in group { total.merge(tally) }
            return total
        }
        let seconds = Double(MonotonicClock.nanoseconds() - start) / 1e9
        for connection in connections { await connection.close() }
        return (tally, seconds)
    }

    private static func bidder(
        account: BenchAccount, lot: AuctionAPI.LotState, api: AuctionAPI, deadline: UInt64
    ) async -> BidderTally {
        var tally = BidderTally()
        var strategy = BidStrategy(minimumNext: lot.minimumNext)
        while MonotonicClock.nanoseconds() < deadline {
            let amount = strategy.nextAmount()
            let sent = MonotonicClock.nanoseconds()
            let result: HTTPResult
            do {
                result = try await api.bid(token: account.token, lotID: lot.id, amount: amount, mode: strategy.mode)
            } catch {
                tally.errors += 1
                tally.firstError = tally.firstError ?? "\(error)"
                return tally
            }
            let received = MonotonicClock.nanoseconds()
            tally.attempted += 1
            tally.latency.record(nanoseconds: received - sent)
            switch result.status {
            case 200, 201:
                tally.accepted += 1
                tally.acceptedAt[AcceptedBid(lotID: lot.id, bidder: account.username, cents: amount.cents)] = received
                strategy.accepted(amount)
            case 400, 404:
                if await !learn(from: result, strategy: &strategy, api: api, lotID: lot.id) {
                    tally.errors += 1
                    tally.firstError = tally.firstError ?? "\(result.status): \(result.text.prefix(200))"
                    return tally
                }
            default:
                tally.errors += 1
                tally.firstError = tally.firstError ?? "\(result.status): \(result.text.prefix(200))"
            }
        }
        return tally
    }

    /// Reads a refusal: the minimum from "at least X", or which of POST/PATCH to use.
    /// False when the bidder cannot go on (the lot finished, or an unknown refusal).
    private static func learn(
        from result: HTTPResult, strategy: inout BidStrategy, api: AuctionAPI, lotID: Int64
    ) async -> Bool {
        let text = result.text
        if let minimum = minimum(in: text) {
            strategy.tooLow(minimum: minimum)
        } else if text.contains("already have a bid") {
            strategy.alreadyHasBid()
        } else if text.contains("no bid on this lot") {
            strategy.hasNoBid()
        } else if text.contains("highest price"), let lot = try? await api.lot(id: lotID) {
            strategy.lotRead(minimumNext: lot.minimumNext)
        } else {
            return false
        }
        return true
    }

    /// The amount after "at least " in a refusal's detail.
    static func minimum(in text: String) -> Money? {
        guard let range = text.range(of: "at least ") else { return nil }
        let number = text[range.upperBound...].prefix { $0.isNumber || $0 == "." }
        return try? Money(parsing: String(number))
    }
}
