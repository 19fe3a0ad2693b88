import AuctionCore
import Foundation
import Testing

/// What every `RateLimiter` promises, on every backend in `LimiterBackend`.
@Suite("RateLimiter conformance")
struct RateLimiterConformanceTests {
    /// Keys of their own, so runs against one Redis never meet.
    private func newKey() -> String { "test:\(UUID().uuidString)" }
    /// Long enough that nothing leaves the window while a loaded machine runs a test.
    private let minute = RateLimit(count: 3, window: .seconds(60))

    @Test("the first `count` requests pass; the next is refused until the oldest leaves the window",
          arguments: LimiterBackend.allCases)
    func refusesOverTheLimit(_ backend: LimiterBackend) async throws {
        let limiter = try backend.makeLimiter()
        try await limiter.ping()
        let key = newKey()
        for _ in 0..<3 { #expect(try await limiter.acquire(key, limit: minute) == .allowed) }
        for _ in 0..<2 {
            guard case .refused(let wait) = try await limiter.acquire(key, limit: minute) else {
                Issue.record("the 4th request in a minute passed")
                return
            }
            // The oldest entered a moment ago: nearly the whole window to wait.
            #expect(wait > .seconds(30) && wait <= .seconds(60), "\(wait)")
        }
    }

    @Test("keys are counted apart", arguments: LimiterBackend.allCases)
    func independentKeys(_ backend: LimiterBackend) async throws {
        let limiter = try backend.makeLimiter()
        let first = newKey(), second = newKey()
        for _ in 0..<3 { _ = try await limiter.acquire(first, limit: minute) }
        #expect(try await limiter.acquire(first, limit: minute) != .allowed)
        #expect(try await limiter.acquire(second, limit: minute) == .allowed)
    }

    @Test("a released request no longer counts; releasing an unknown key is fine", arguments: LimiterBackend.allCases)
    func release(_ backend: LimiterBackend) async throws {
        let limiter = try backend.makeLimiter()
        let key = newKey()
        try await limiter.release(key, limit: minute)
        for _ in 0..<3 { _ = try await limiter.acquire(key, limit: minute) }
        try await limiter.release(key, limit: minute)
        #expect(try await limiter.acquire(key, limit: minute) == .allowed)
        #expect(try await limiter.acquire(key, limit: minute) != .allowed)
    }

    @Test("once the oldest request leaves the window, one more passes", arguments: LimiterBackend.allCases)
    func windowSlides(_ backend: LimiterBackend) async throws {
        let limiter = try backend.makeLimiter()
        let key = newKey()
        let limit = RateLimit(count: 2, window: .seconds(2))
        #expect(try await limiter.acquire(key, limit: limit) == .allowed)
        #expect(try await limiter.acquire(key, limit: limit) == .allowed)
        var decision = try await limiter.acquire(key, limit: limit)
        // Refused unless the machine stalled for the whole window; either way it must pass after the wait.
        if case .refused(let wait) = decision {
            #expect(wait <= .seconds(2))
            try await Task.sleep(for: wait + .milliseconds(50))
            decision = try await limiter.acquire(key, limit: limit)
        }
        #expect(decision == .allowed)
    }

    @Test("a refused request is not counted: the wait does not grow", arguments: LimiterBackend.allCases)
    func refusalsAreFree(_ backend: LimiterBackend) async throws {
        let limiter = try backend.makeLimiter()
        let key = newKey()
        let limit = RateLimit(count: 1, window: .seconds(60))
        #expect(try await limiter.acquire(key, limit: limit) == .allowed)
        guard case .refused(let first) = try await limiter.acquire(key, limit: limit),
              case .refused(let second) = try await limiter.acquire(key, limit: limit)
        else {
            Issue.record("a second request in a minute passed")
            return
        }
        // Both wait for the same oldest entry (the second a moment later).
        #expect(second <= first)
    }

    @Test("run() returns at once", arguments: LimiterBackend.allCases)
    func runReturns(_ backend: LimiterBackend) async throws {
        try await backend.makeLimiter().run()
    }
}
