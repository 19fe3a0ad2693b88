import AuctionCore
import Foundation

/// A bidder of the proxy-bid scenario over HTTP (`ProxyBidStrategy`): reads the lot,
/// waits while it leads, else bids the lot's `next_minimum_bid` (with its maximum).
enum ProxyBidderWorkload {
    /// How often a leader looks again whether it was outbid.
    static let leaderPoll = Duration.milliseconds(2)

    static func bidder(
        index: Int, account: BenchAccount, lot: AuctionAPI.LotState, api: AuctionAPI, deadline: UInt64
    ) async -> BidderTally {
        var tally = BidderTally()
        var strategy = ProxyBidStrategy(bidder: index)
        func fail(_ text: String) -> BidderTally {
            tally.failed(text)
            return tally
        }
        while MonotonicClock.nanoseconds() < deadline {
            let view: AuctionAPI.BiddingView
            do { view = try await api.biddingView(id: lot.id) } catch { return fail("\(error)") }
            if view.highest_bidder == account.username {
                try? await Task.sleep(for: leaderPoll)
                continue
            }
            let (amount, maxAmount) = strategy.bid(minimum: view.next_minimum_bid)
            let sent = MonotonicClock.nanoseconds()
            let result: HTTPResult
            do {
                result = try await api.bid(
                    token: account.token, lotID: lot.id, amount: amount, maxAmount: maxAmount, mode: strategy.mode)
            } catch {
                return fail("\(error)")
            }
            let received = MonotonicClock.nanoseconds()
            tally.answered(sent: sent, received: received)
            switch result.status {
            case 200, 201:
                tally.accepted(AcceptedBid(lotID: lot.id, bidder: account.username, cents: amount.cents), at: received)
                strategy.accepted()
            case 400 where result.text.contains("at least"):
                continue  // another bid got there first: read the lot again
            case 400 where result.text.contains("already have a bid"):
                strategy.alreadyHasBid()
            default:
                return fail("\(result.status): \(result.text.prefix(200))")
            }
        }
        return tally
    }
}

extension AuctionAPI {
    /// What a proxy bidder reads of the lot.
    struct BiddingView: Decodable, Sendable {
        let highest_bidder: String?
        let next_minimum_bid: Money
    }

    func biddingView(id: Int64) async throws -> BiddingView {
        let result = try await connection.send(.GET, "/lots/\(id)")
        guard result.status == 200 else { throw Self.failure("GET /lots/\(id)", result) }
        return try JSONDecoder().decode(BiddingView.self, from: result.data)
    }

    /// POST or PATCH the caller's bid with a maximum (none: as `bid(token:lotID:amount:mode:)`).
    func bid(token: String, lotID: Int64, amount: Money, maxAmount: Money?, mode: BidMode) async throws -> HTTPResult {
        try await connection.send(
            mode == .create ? .POST : .PATCH, "/lots/\(lotID)/bids", headers: [Self.formType, Self.bearer(token)],
            body: "amount=\(amount)" + (maxAmount.map { "&max_amount=\($0)" } ?? ""))
    }
}

extension BidderTally {
    mutating func answered(sent: UInt64, received: UInt64) {
        attempted += 1
        latency.record(nanoseconds: received - sent)
    }

    mutating func accepted(_ bid: AcceptedBid, at received: UInt64) {
        accepted += 1
        acceptedAt[bid] = received
    }

    mutating func failed(_ text: String) {
        errors += 1
        firstError = firstError ?? text
    }
}
