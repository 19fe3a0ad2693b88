import HTTPTypes
import Hummingbird

/// One rule of `RateLimits` on the routes it is added to, keyed by what the
/// request is from: its client address, or its user behind the bearer middleware.
struct RateLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let limits: RateLimits
    let rule: RateLimits.Rule
    let key: @Sendable (Context) -> String

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        try await limits.enforce(rule, key: key(context))
        return try await next(request, context)
    }
}

extension RateLimits {
    /// `rule` per client address (an unknown one, as in router tests, counts as one address).
    func perAddress(_ rule: Rule) -> RateLimitMiddleware {
        RateLimitMiddleware(limits: self, rule: rule) { $0.clientAddress?.limitKey ?? "unknown" }
    }

    /// `rule` per authenticated user (after `BearerAuthenticator`).
    func perUser(_ rule: Rule) -> RateLimitMiddleware {
        RateLimitMiddleware(limits: self, rule: rule) { context in context.identity.map { String($0.id) } ?? "anonymous" }
    }
}
