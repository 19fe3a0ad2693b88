import Foundation

/// A socket the audit checks: what it received after the seq it started from.
protocol WatchingSocket: Sendable {
    var startSeq: Int64 { get }
    var log: SubscriberLog { get }
}

/// Checks what the subscribers received against the event log, and the log
/// against the bidding rule, after a run.
struct EventAudit: Sendable {
    /// Events a subscriber should have had (after it joined, up to the lot's last) and did not.
    var missed = 0
    /// Events a subscriber received more than once.
    var duplicated = 0
    /// Events that arrived after one with a higher number.
    var outOfOrder = 0
    /// Accepted bids not above a bid accepted before them (by seq), and gaps in a lot's numbers.
    var violations = 0
    var logGaps = 0
    /// Bids answered 200/201 whose event is not in the log.
    var acknowledgedNotLogged = 0
    /// From each accepted bid's response to its event's arrival at each subscriber.
    var deliveryLatency = LatencyRecorder()
    /// Arrivals that came before the bidder had its response (recorded as 0).
    var overtookResponse = 0

    /// Applies the rule to one lot's log (ordered by seq).
    mutating func checkLog(_ events: [AuctionAPI.Event], lotID: Int64, accepted: Set<AcceptedBid>) {
        var highest: Int64 = 0
        var previousSeq: Int64 = 0
        var logged = Set<AcceptedBid>()
        var previousBid: AuctionAPI.Event?
        for event in events {
            if event.seq != previousSeq + 1 { logGaps += 1 }
            previousSeq = event.seq
            guard event.type == "bid_placed", let amount = event.amount?.cents else { continue }
            if amount <= highest && !Self.isForcedTie(event, after: previousBid) { violations += 1 }
            highest = max(highest, amount)
            previousBid = event
            if let bidder = event.bidder { logged.insert(AcceptedBid(lotID: lotID, bidder: bidder, cents: amount)) }
        }
        acknowledgedNotLogged += accepted.filter { $0.lotID == lotID && !logged.contains($0) }.count
    }

    /// The one equal pair API.md's proxy rules force: a bid at the leader's maximum,
    /// then the leader's automatic raise capped at that maximum, the same amount
    /// (the tests check the maximums too: Tests/TestSupport/ProxyReplay.swift).
    static func isForcedTie(_ event: AuctionAPI.Event, after previous: AuctionAPI.Event?) -> Bool {
        guard let previous else { return false }
        return event.auto == true && previous.auto != true && previous.amount == event.amount
            && previous.bidder != event.bidder
    }

    /// Audits one subscriber: every event after `startSeq` up to `lastSeq`, once, in order.
    mutating func checkSubscriber(_ subscriber: some WatchingSocket, lastSeq: Int64, acceptedAt: [AcceptedBid: UInt64]) {
        let decoder = JSONDecoder()
        var seen = Set<Int64>()
        var highestSeen: Int64 = 0
        for arrival in subscriber.log.all {
            guard let event = try? decoder.decode(AuctionAPI.Event.self, from: Data(arrival.text.utf8)) else { continue }
            if !seen.insert(event.seq).inserted {
                duplicated += 1
                continue
            }
            if event.seq < highestSeen { outOfOrder += 1 }
            highestSeen = max(highestSeen, event.seq)
            guard event.type == "bid_placed", let bidder = event.bidder, let cents = event.amount?.cents,
                  let responded = acceptedAt[AcceptedBid(lotID: event.lot_id, bidder: bidder, cents: cents)]
            else { continue }
            if arrival.nanoseconds >= responded {
                deliveryLatency.record(nanoseconds: arrival.nanoseconds - responded)
            } else {
                overtookResponse += 1
                deliveryLatency.record(nanoseconds: 0)
            }
        }
        let expected = lastSeq - subscriber.startSeq
        let received = seen.filter { $0 > subscriber.startSeq && $0 <= lastSeq }.count
        missed += max(0, Int(expected) - received)
    }
}
