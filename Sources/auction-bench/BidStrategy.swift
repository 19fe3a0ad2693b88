import AuctionCore

/// How a bidder chooses its next amount, the same for the server runs and the
/// database-limit runs: the highest price it knows of plus 0.01 to 1.00, never
/// below its own last amount + 0.01, so each bidder's amounts strictly increase
/// and stay competitive. It creates its bid first (POST) and raises it after (PATCH).
struct BidStrategy {
    private(set) var mode: BidMode = .create
    /// The least amount the lot takes next, as far as this bidder knows (cents).
    private var minimumNext: Int64
    private var lastSent: Int64 = 0
    private var random = FastRandom()

    init(minimumNext: Int64) {
        self.minimumNext = minimumNext
    }

    mutating func nextAmount() -> Money {
        let amount = max(minimumNext + random.next(upTo: 100), lastSent + 1)
        lastSent = amount
        return Money(cents: amount)
    }

    mutating func accepted(_ amount: Money) {
        mode = .raise
        minimumNext = max(minimumNext, amount.cents + 1)
    }

    mutating func tooLow(minimum: Money) {
        minimumNext = max(minimumNext, minimum.cents)
    }

    /// Learnt from a fresh read of the lot.
    mutating func lotRead(minimumNext: Int64) {
        self.minimumNext = max(self.minimumNext, minimumNext)
    }

    mutating func alreadyHasBid() { mode = .raise }
    mutating func hasNoBid() { mode = .create }
}

/// xorshift64*: cheap, and each bidder has its own (no lock, unlike the system generator).
struct FastRandom {
    private var state: UInt64

    init() {
        state = UInt64.random(in: 1...UInt64.max)
    }

    /// A number in 0..<bound.
    mutating func next(upTo bound: Int64) -> Int64 {
        state ^= state >> 12
        state ^= state << 25
        state ^= state >> 27
        return Int64((state &* 0x2545_F491_4F6C_DD1D) % UInt64(bound))
    }
}
