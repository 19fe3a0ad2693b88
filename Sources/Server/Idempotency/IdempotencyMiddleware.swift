import AuctionCore
import Foundation
import Hummingbird

/// API.md "Idempotent requests", on the routes it guards (after authentication,
/// whose user is the key's scope; none on `POST /account`, the key alone).
///
/// A request with a key claims it in the store first: a key already answered gets
/// that answer again with `Idempotent-Replayed: true`; one still running, 409; one
/// used with another route or body, 422. A claimed request runs with the claim on
/// its context, and the store keeps its answer in the effect's own transaction.
/// A refusal (4xx) is kept too, as Stripe does, so a retry hears the same; a
/// failure (5xx) forgets the key so that a retry runs again.
struct IdempotencyMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any AuctionStore

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let key = try IdempotencyKeyHeader.key(in: request.headers) else { return try await next(request, context) }
        // Collected once here; the body decoder then reads these same bytes.
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let fingerprint = RequestFingerprint.digest(method: request.method, path: request.uri.path, body: body)
        let scope = context.identity.map { "user:\($0.id)" } ?? ""
        switch try await store.claimIdempotencyKey(IdempotencyKey(scope: scope, key: key, fingerprint: fingerprint), now: Date()) {
        case .replay(let stored):
            return stored.response(replayed: true)
        case .inFlight:
            throw Self.inFlight
        case .mismatch:
            throw APIError(
                status: .unprocessableContent,
                detail: "Idempotency-Key: already used with another request (route or body); use a new key")
        case .claimed(let claim):
            var context = context
            context.idempotencyClaim = claim
            do {
                let response = try await next(request, context)
                // The store kept a success's answer; anything else leaves the key to a retry.
                if response.status.code >= 400 { await finish(claim, keeping: nil, context: context) }
                return response
            } catch is IdempotencyClaimLost {
                throw Self.inFlight
            } catch {
                await finish(claim, keeping: StoredResponse(refusal: error), context: context)
                throw error
            }
        }
    }

    private static let inFlight = APIError(
        status: .conflict, detail: "Idempotency-Key: a request with this key is still running; retry shortly")

    /// Best effort: a claim left behind is taken over once its lease runs out.
    private func finish(_ claim: IdempotencyClaim, keeping refusal: StoredResponse?, context: Context) async {
        do {
            try await store.finishIdempotencyKey(claim, response: refusal)
        } catch {
            context.logger.warning("could not finish an idempotency key", metadata: ["error": "\(error)"])
        }
    }
}
