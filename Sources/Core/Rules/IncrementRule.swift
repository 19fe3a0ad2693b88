/// How much a bid must beat the price by: a lot's own `min_increment` (`fixed`),
/// or the `ladder`, whose step grows with the price (eBay's published table).
public enum IncrementRule: String, Sendable, Equatable, CaseIterable {
    case fixed
    case ladder

    /// The ladder: below each bound (cents), that step (cents); 100.00 from 5,000 up.
    public static let ladderSteps: [(below: Int64, step: Int64)] = [
        (1_00, 5), (5_00, 25), (25_00, 50), (100_00, 1_00), (250_00, 2_50), (500_00, 5_00),
        (1_000_00, 10_00), (2_500_00, 25_00), (5_000_00, 50_00),
    ]
    public static let ladderTop = Money(cents: 100_00)

    /// The increment over `price`; `minIncrement` is the fixed rule's step.
    public func increment(at price: Money, minIncrement: Money) -> Money {
        switch self {
        case .fixed:
            return minIncrement
        case .ladder:
            let step = Self.ladderSteps.first { price.cents < $0.below }?.step
            return step.map(Money.init(cents:)) ?? Self.ladderTop
        }
    }
}
