import AuctionSupport
import Testing

@Suite("Backoff")
struct BackoffTests {
    /// Always the largest value: every delay is the upper bound, the ceiling.
    /// (An always-zero generator would make the standard library's unbiased
    /// draw retry for ever.)
    struct Highest: RandomNumberGenerator {
        mutating func next() -> UInt64 { .max }
    }

    /// A fixed-seed generator (SplitMix64), so the jitter test is repeatable.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("each delay lies between half the ceiling and the ceiling, which doubles up to the maximum")
    func bounds() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .seconds(2))
        var generator = Seeded(state: 1)
        let ceilings: [Duration] = [100, 200, 400, 800, 1600, 2000, 2000, 2000].map { .milliseconds($0) }
        for _ in 0..<50 {
            backoff.reset()
            for ceiling in ceilings {
                let delay = backoff.next(using: &generator)
                #expect(delay >= ceiling / 2 && delay <= ceiling, "\(delay) outside \(ceiling / 2)...\(ceiling)")
            }
        }
    }

    @Test("the highest draw is exactly the ceiling: the doubling, the cap and reset")
    func highestDraws() {
        var backoff = Backoff(initial: .milliseconds(100), maximum: .milliseconds(500))
        var highest = Highest()
        let delays = (0..<5).map { _ in backoff.next(using: &highest) }
        #expect(delays == [100, 200, 400, 500, 500].map { .milliseconds($0) })
        backoff.reset()
        #expect(backoff.next(using: &highest) == .milliseconds(100))
    }

    @Test("delays at the cap are spread, not one value")
    func jitter() {
        var backoff = Backoff(initial: .seconds(1), maximum: .seconds(1))
        var generator = Seeded(state: 42)
        let delays = Set((0..<20).map { _ in backoff.next(using: &generator) })
        #expect(delays.count > 10)
    }
}
