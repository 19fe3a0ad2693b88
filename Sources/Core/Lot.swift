import Foundation

/// A lot as stored, with its current bidding state.
public struct Lot: Sendable, Equatable {
    public let id: Int64
    public var title: String
    public var description: String
    public var startingPrice: Money
    public var status: LotStatus
    /// The starting price until the first bid, then the highest accepted amount.
    public var highestPrice: Money
    public var highestBidder: String?
    public var bidCount: Int
    public var ownerID: Int64
    public var owner: String
    public var createdAt: Date
    public var endsAt: Date?
    public var minIncrement: Money
    public var softCloseSeconds: Int?
    /// The number of the lot's last event (0 before any).
    public var seq: Int64
    /// The leader's user id (`highestBidder` is their name).
    public var highestBidderID: Int64?
    /// The hidden minimum: only the owner sees it.
    public var reservePrice: Money?
    /// As set at creation; offered only until the first accepted bid (`offeredBuyNowPrice`).
    public var buyNowPrice: Money?
    public var incrementRule: IncrementRule

    public init(
        id: Int64, title: String, description: String, startingPrice: Money, status: LotStatus,
        highestPrice: Money, highestBidder: String?, bidCount: Int, ownerID: Int64, owner: String,
        createdAt: Date, endsAt: Date?, minIncrement: Money, softCloseSeconds: Int?, seq: Int64,
        highestBidderID: Int64? = nil, reservePrice: Money? = nil, buyNowPrice: Money? = nil,
        incrementRule: IncrementRule = .fixed
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.startingPrice = startingPrice
        self.status = status
        self.highestPrice = highestPrice
        self.highestBidder = highestBidder
        self.bidCount = bidCount
        self.ownerID = ownerID
        self.owner = owner
        self.createdAt = createdAt
        self.endsAt = endsAt
        self.minIncrement = minIncrement
        self.softCloseSeconds = softCloseSeconds
        self.seq = seq
        self.highestBidderID = highestBidderID
        self.reservePrice = reservePrice
        self.buyNowPrice = buyNowPrice
        self.incrementRule = incrementRule
    }

    /// The increment over `price` under the lot's rule.
    public func increment(at price: Money) -> Money {
        incrementRule.increment(at: price, minIncrement: minIncrement)
    }

    /// nil without a reserve; else whether the leader's price has reached it.
    public var reserveMet: Bool? {
        reservePrice.map { highestBidderID != nil && BiddingRules.meetsReserve(highestPrice, $0) }
    }

    /// The buy-now price while it can still be taken: before the first accepted bid.
    public var offeredBuyNowPrice: Money? {
        bidCount == 0 ? buyNowPrice : nil
    }
}

/// What a client asks for when creating a lot, already validated.
public struct NewLot: Sendable, Equatable {
    public var title: String
    public var description: String
    public var startingPrice: Money
    public var ownerID: Int64
    public var endsAt: Date?
    public var minIncrement: Money
    public var softCloseSeconds: Int?
    public var reservePrice: Money?
    public var buyNowPrice: Money?
    public var incrementRule: IncrementRule

    public init(
        title: String, description: String, startingPrice: Money, ownerID: Int64,
        endsAt: Date? = nil, minIncrement: Money = .cent, softCloseSeconds: Int? = nil,
        reservePrice: Money? = nil, buyNowPrice: Money? = nil, incrementRule: IncrementRule = .fixed
    ) {
        self.title = title
        self.description = description
        self.startingPrice = startingPrice
        self.ownerID = ownerID
        self.endsAt = endsAt
        self.minIncrement = minIncrement
        self.softCloseSeconds = softCloseSeconds
        self.reservePrice = reservePrice
        self.buyNowPrice = buyNowPrice
        self.incrementRule = incrementRule
    }
}
