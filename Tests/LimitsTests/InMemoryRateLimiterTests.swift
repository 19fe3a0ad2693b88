import AuctionCore
import Limits
import Testing
import TestSupport

@Suite("In-memory rate limiter")
struct InMemoryRateLimiterTests {
    @Test("the wait is exactly until the oldest counted request leaves the window")
    func exactWait() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(now: { clock.now })
        let limit = RateLimit(count: 2, window: .seconds(10))
        #expect(try await limiter.acquire("k", limit: limit) == .allowed)
        clock.advance(.seconds(3))
        #expect(try await limiter.acquire("k", limit: limit) == .allowed)
        clock.advance(.seconds(1))
        #expect(try await limiter.acquire("k", limit: limit) == .refused(retryAfter: .seconds(6)))
        clock.advance(.seconds(6))
        #expect(try await limiter.acquire("k", limit: limit) == .allowed)
        // The second request (at 3 s) is now the oldest: it leaves at 13 s.
        #expect(try await limiter.acquire("k", limit: limit) == .refused(retryAfter: .seconds(3)))
    }

    @Test("logs whose requests all left their window are swept out")
    func sweepsExpired() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(sweepInterval: .seconds(1), now: { clock.now })
        let limit = RateLimit(count: 5, window: .seconds(10))
        for index in 0..<1000 { _ = try await limiter.acquire("old-\(index)", limit: limit) }
        #expect(limiter.count == 1000)
        clock.advance(.seconds(11))
        _ = try await limiter.acquire("new", limit: limit)
        #expect(limiter.count == 1)
    }

    @Test("a flood of distinct live keys stays within the capacity; the latest keys keep their counts")
    func boundedUnderFlood() async throws {
        let clock = ManualClock()
        let limiter = InMemoryRateLimiter(capacity: 100, sweepInterval: .seconds(3600), now: { clock.now })
        let limit = RateLimit(count: 1, window: .seconds(3600))
        for index in 0..<10_000 {
            clock.advance(.milliseconds(1))
            #expect(try await limiter.acquire("flood-\(index)", limit: limit) == .allowed)
            #expect(limiter.count <= 100)
        }
        // The most recent key is still counted.
        #expect(try await limiter.acquire("flood-9999", limit: limit) != .allowed)
    }
}
