import AuctionCore
import Foundation

/// The proxy-bid scenario's bidder straight on the store: the same reads and bids
/// (`ProxyBidStrategy`) as `ProxyBidderWorkload`, without HTTP.
enum ProxyDatabaseLimitWorker {
    static func worker(index: Int, store: any AuctionStore, user: User, lot: Lot, deadline: UInt64) async
        -> BidderTally
    {
        var tally = BidderTally()
        var strategy = ProxyBidStrategy(bidder: index)
        while MonotonicClock.nanoseconds() < deadline {
            let current: Lot
            do {
                guard let read = try await store.lot(id: lot.id) else { throw AuctionError.lotNotFound }
                current = read
            } catch {
                tally.failed("\(error)")
                return tally
            }
            if current.highestBidderID == user.id {
                try? await Task.sleep(for: ProxyBidderWorkload.leaderPoll)
                continue
            }
            let (amount, maxAmount) = strategy.bid(minimum: BiddingRules.minimumBid(for: current))
            let sent = MonotonicClock.nanoseconds()
            do {
                _ = try await store.placeBid(
                    lotID: lot.id, bidderID: user.id, amount: amount, maxAmount: maxAmount, mode: strategy.mode,
                    now: Date())
                tally.accepted(AcceptedBid(lotID: lot.id, bidder: user.username, cents: amount.cents), at: 0)
                strategy.accepted()
            } catch AuctionError.bidTooLow {
                // another bid got there first: read the lot again
            } catch AuctionError.alreadyBid {
                strategy.alreadyHasBid()
            } catch {
                tally.failed("\(error)")
                return tally
            }
            tally.answered(sent: sent, received: MonotonicClock.nanoseconds())
        }
        return tally
    }
}
