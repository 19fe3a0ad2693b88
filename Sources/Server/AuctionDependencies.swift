import AuctionCore
import Limits

/// The four parts the server talks to through protocols only.
public struct AuctionDependencies: Sendable {
    public let store: any AuctionStore
    public let broker: any EventBroker
    public let sessions: any SessionStore
    public let limiter: any RateLimiter

    /// Without a limiter, one in memory (what a lone node uses).
    public init(
        store: any AuctionStore, broker: any EventBroker, sessions: any SessionStore,
        limiter: any RateLimiter = InMemoryRateLimiter()
    ) {
        self.store = store
        self.broker = broker
        self.sessions = sessions
        self.limiter = limiter
    }
}
