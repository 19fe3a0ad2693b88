import AuctionCore
import Foundation

/// A race's accepted bids replayed, in commit order, through the pure rules
/// (`BiddingState`): the lot and event log a store must end with, the `leading`
/// each Bid must have been answered with, and the audit of the visible prices.
public struct ProxyReplay: Sendable {
    public private(set) var state: BiddingState
    public private(set) var events: [AuctionEvent] = []
    /// Per request, in order: whether its bidder leads after it.
    public private(set) var leading: [Bool] = []
    public private(set) var audit = VisiblePriceAudit()

    public init(lot: Lot) {
        state = BiddingState(lot: lot)
    }

    public mutating func apply(_ request: BidRequest, now: Date, names: [Int64: String]) throws(AuctionError) {
        let leader = state.lot.highestBidderID.map { (name: names[$0] ?? "", maximum: state.bids[$0]?.maximum) }
        let new = try state.apply(request, now: now, names: names)
        events += new
        let leads = state.lot.highestBidderID == request.bidderID
        leading.append(leads)
        audit.record(VisiblePriceAudit.Step(
            placed: new.compactMap(VisiblePriceAudit.Visible.init), leader: leader?.name,
            leaderMaximum: leader?.maximum, bidderMaximum: state.bids[request.bidderID]?.maximum,
            leaderKept: !leads && state.lot.highestBidder == leader?.name))
    }
}

/// Visible prices (the `bid_placed` amounts of a lot's log) strictly increase,
/// except in the one case API.md's rules force: a bid whose amount is its maximum
/// and equals the leader's maximum is accepted not leading (the earlier maximum
/// wins a tie), and the leader's automatic raise, capped at their maximum, is
/// that same amount: `bid_placed` X, then `bid_placed` X `auto` by the leader.
public struct VisiblePriceAudit: Sendable {
    public struct Visible: Sendable, Equatable, CustomStringConvertible {
        public let bidder: String
        public let amount: Money
        public let auto: Bool

        public init(bidder: String, amount: Money, auto: Bool) {
            (self.bidder, self.amount, self.auto) = (bidder, amount, auto)
        }

        public init?(_ event: AuctionEvent) {
            guard case .bidPlaced(let bidder, let amount, let auto) = event.kind else { return nil }
            self.init(bidder: bidder, amount: amount, auto: auto)
        }

        public var description: String { "\(bidder) \(amount)\(auto ? " auto" : "")" }
    }

    /// One accepted request: its visible bids, and the maximums around it.
    public struct Step: Sendable {
        public let placed: [Visible]
        /// The leader before the request, and their maximum then.
        public let leader: String?
        public let leaderMaximum: Money?
        /// The requester's maximum after it.
        public let bidderMaximum: Money?
        /// The leader before still leads after, and the requester does not.
        public let leaderKept: Bool

        public init(placed: [Visible], leader: String?, leaderMaximum: Money?, bidderMaximum: Money?, leaderKept: Bool) {
            (self.placed, self.leader, self.leaderMaximum) = (placed, leader, leaderMaximum)
            (self.bidderMaximum, self.leaderKept) = (bidderMaximum, leaderKept)
        }
    }

    /// The exception's occurrences: the leader's automatic raise equal to the bid before it.
    public private(set) var ties: [Visible] = []
    /// Every other visible bid not above the one before it (must stay empty).
    public private(set) var violations: [String] = []
    private var last: Visible?

    public init() {}

    public mutating func record(_ step: Step) {
        for (index, visible) in step.placed.enumerated() {
            defer { last = visible }
            guard let previous = last, visible.amount <= previous.amount else { continue }
            if index == 1 && Self.isTie(step, own: previous, raise: visible) {
                ties.append(visible)
            } else {
                violations.append("\(visible) after \(previous)")
            }
        }
    }

    /// The forced case, exactly: the request's own bid X, then the leader's raise to
    /// X, where X is both the requester's and the kept leader's maximum.
    private static func isTie(_ step: Step, own: Visible, raise: Visible) -> Bool {
        !own.auto && raise.auto && own.bidder != raise.bidder && raise.bidder == step.leader && step.leaderKept
            && own.amount == raise.amount && step.leaderMaximum == raise.amount && step.bidderMaximum == own.amount
    }
}
