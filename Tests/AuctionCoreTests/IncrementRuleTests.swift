import AuctionCore
import Testing

@Suite("IncrementRule")
struct IncrementRuleTests {
    /// API.md's ladder, each step on both sides of its bound (cents).
    static let ladder: [(price: Int64, step: Int64)] = [
        (1, 5), (99, 5), (1_00, 25), (4_99, 25), (5_00, 50), (24_99, 50), (25_00, 1_00), (99_99, 1_00),
        (100_00, 2_50), (249_99, 2_50), (250_00, 5_00), (499_99, 5_00), (500_00, 10_00), (999_99, 10_00),
        (1_000_00, 25_00), (2_499_99, 25_00), (2_500_00, 50_00), (4_999_99, 50_00), (5_000_00, 100_00),
        (1_000_000_000_000_00, 100_00),
    ]

    @Test("ladder: the step at every bound of the table", arguments: ladder)
    func ladderStep(price: Int64, step: Int64) {
        #expect(IncrementRule.ladder.increment(at: Money(cents: price), minIncrement: .cent) == Money(cents: step))
    }

    @Test("fixed: the lot's own increment at any price")
    func fixed() {
        for price: Int64 in [1, 99_99, 5_000_00] {
            #expect(IncrementRule.fixed.increment(at: Money(cents: price), minIncrement: Money(cents: 50)) == Money(cents: 50))
        }
    }

    @Test("the next minimum bid follows the lot's rule")
    func nextMinimum() {
        let ladder = RulesFixture.lot(start: 24_99, rule: .ladder)
        #expect(BiddingRules.minimumBid(for: ladder) == Money(cents: 25_49))
        let fixed = RulesFixture.lot(start: 24_99, increment: 1_00)
        #expect(BiddingRules.minimumBid(for: fixed) == Money(cents: 25_99))
    }
}
