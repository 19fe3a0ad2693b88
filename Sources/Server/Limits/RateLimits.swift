import AuctionCore
import Logging

/// The API's limits (API.md "Limits") on one limiter, by rule. Off, every check
/// passes. A limiter that cannot answer (Redis down) lets the request through
/// with a warning: a limit protects the service and must not stop it, and the
/// logins it guards need the same Redis for their sessions anyway.
struct RateLimits: Sendable {
    enum Rule: String, Sendable {
        case loginFailures = "login-failures"
        case logins
        case registrations
        case bids

        var refusal: String {
            switch self {
            case .loginFailures: "Too many failed logins for this username"
            case .logins: "Too many login attempts from this address"
            case .registrations: "Too many registrations from this address"
            case .bids: "Too many bids"
            }
        }
    }

    let limiter: any RateLimiter
    let settings: LimitSettings
    let logger: Logger

    func limit(of rule: Rule) -> RateLimit {
        switch rule {
        case .loginFailures: settings.loginFailures
        case .logins: settings.logins
        case .registrations: settings.registrations
        case .bids: settings.bids
        }
    }

    /// Counts one request of `key` under `rule`; over the limit, a 429 with `Retry-After`.
    func enforce(_ rule: Rule, key: String) async throws {
        guard settings.enabled else { return }
        let decision: RateDecision
        do {
            decision = try await limiter.acquire("\(rule.rawValue):\(key)", limit: limit(of: rule))
        } catch {
            logger.warning("rate limiter unavailable; request let through", metadata: ["error": "\(error)"])
            return
        }
        if case .refused(let wait) = decision {
            throw APIError.tooManyRequests(rule.refusal, retryAfter: wait)
        }
    }

    /// Takes back the request `enforce` counted (a login that was no failure).
    func forgive(_ rule: Rule, key: String) async {
        guard settings.enabled else { return }
        do {
            try await limiter.release("\(rule.rawValue):\(key)", limit: limit(of: rule))
        } catch {
            logger.warning("rate limiter unavailable; count not taken back", metadata: ["error": "\(error)"])
        }
    }
}
