import AuctionCore

/// The rate limits of API.md ("Limits"), each "at most N in any window".
/// `limits.enabled` false switches them all off (tests and benchmarks that
/// sign up many users from one address).
public struct LimitSettings: Sendable, Equatable {
    public var enabled: Bool
    /// Failed logins per username, from any address (a distributed guess counts as one).
    public var loginFailures: RateLimit
    /// `POST /account/token` per client address.
    public var logins: RateLimit
    /// `POST /account` per client address.
    public var registrations: RateLimit
    /// Bids (POST and PATCH) per user.
    public var bids: RateLimit

    /// A limit's count is bounded: the in-memory limiter keeps one entry per request counted.
    static let counts = 1...10_000

    init(reading config: SettingsReader) throws(SettingsError) {
        enabled = try config.bool("limits.enabled")
        loginFailures = RateLimit(
            count: try config.int("limits.loginFailuresPerUsername", in: Self.counts),
            window: .seconds(try config.int("limits.loginFailureWindowSeconds", in: 1...86_400)))
        logins = RateLimit(count: try config.int("limits.loginsPerAddressPerMinute", in: Self.counts), window: .seconds(60))
        registrations = RateLimit(
            count: try config.int("limits.registrationsPerAddressPerMinute", in: Self.counts), window: .seconds(60))
        bids = RateLimit(count: try config.int("limits.bidsPerUserPerSecond", in: Self.counts), window: .seconds(1))
    }
}
