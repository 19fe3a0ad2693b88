import Foundation

/// A bidder as the user-event rules need one: the id events go to, the name lot events carry.
public struct LotBidder: Sendable, Equatable, Hashable {
    public let id: Int64
    public let username: String

    public init(id: Int64, username: String) {
        self.id = id
        self.username = username
    }
}

extension LotBidder {
    /// The users a bid's events can name: the bidder, and the leader before it
    /// (outbid, or raised automatically).
    public static func of(bidder id: Int64, named name: String, leaderBefore lot: Lot) -> [LotBidder] {
        var bidders = [LotBidder(id: id, username: name)]
        if let leaderID = lot.highestBidderID, leaderID != id, let leader = lot.highestBidder {
            bidders.append(LotBidder(id: leaderID, username: leader))
        }
        return bidders
    }
}

/// Which users hear of a change to a lot, as a pure function of what the change's
/// transaction appended, so that every store (and every bid rule) derives the same
/// user events in the transaction that writes the lot's.
public enum UserEventRules {
    /// - Parameters:
    ///   - events: the lot events the transaction appended, in order.
    ///   - leaderBefore, leaderAfter: the lot's leading bidder before and after it.
    ///   - price: the lot's visible price after it.
    ///   - reserve: the lot's reserve: an owner's finish below it has no winner.
    ///   - bidders: every user the events name (the bidders of `bid_placed`, the
    ///     new leader); when the lot finishes, every bidder of the lot.
    /// - Returns: the drafts in the order they are to be numbered: an outbid
    ///   first, then automatic raises, then the lot's closing (won, then lost by user id).
    public static func userEvents(
        lotID: Int64, at: Date, events: [AuctionEvent.Kind], leaderBefore: Int64?, leaderAfter: Int64?,
        price: Money, bidders: [LotBidder], reserve: Money? = nil
    ) -> [UserEventDraft] {
        let byName = Dictionary(bidders.map { ($0.username, $0.id) }, uniquingKeysWith: { first, _ in first })
        let byID = Dictionary(bidders.map { ($0.id, $0.username) }, uniquingKeysWith: { first, _ in first })
        var drafts: [UserEventDraft] = []
        func add(_ userID: Int64, _ kind: UserEvent.Kind) {
            drafts.append(UserEventDraft(userID: userID, lotID: lotID, at: at, kind: kind))
        }

        if let previous = leaderBefore, let leader = leaderAfter, leader != previous, let name = byID[leader] {
            add(previous, .outbid(amount: price, by: name))
        }
        for kind in events {
            if case .bidPlaced(let bidder, let amount, true) = kind, let id = byName[bidder] {
                add(id, .autoBid(amount: amount))
            }
        }
        if let outcome = closing(
            of: events, leaderAfter: leaderAfter.flatMap { byID[$0] }, price: price, reserve: reserve) {
            let winnerID = outcome.winner.flatMap { byName[$0] }
            if let winnerID, let amount = outcome.amount { add(winnerID, .won(amount: amount)) }
            for bidder in bidders.sorted(by: { $0.id < $1.id }) where bidder.id != winnerID {
                add(bidder.id, .lost(winner: outcome.winner, amount: outcome.amount))
            }
        }
        return drafts
    }

    /// The winner and price when the events finish the lot: those of `lot_closed`,
    /// else (an owner's finish) the leader at the visible price.
    private static func closing(
        of events: [AuctionEvent.Kind], leaderAfter: String?, price: Money, reserve: Money?
    ) -> (winner: String?, amount: Money?)? {
        for case .closed(let winner, let amount) in events { return (winner, amount) }
        guard events.contains(.statusChanged(.finished)) else { return nil }
        guard BiddingRules.meetsReserve(price, reserve) else { return (nil, nil) }
        return leaderAfter.map { ($0, price) } ?? (nil, nil)
    }
}
