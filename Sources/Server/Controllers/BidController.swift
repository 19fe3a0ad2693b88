import AuctionCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// `/lots/{lot_id}/bids`: place a bid (POST), raise it (PATCH), list them (GET).
struct BidController: Sendable {
    let store: any AuctionStore
    let publisher: EventPublisher
    let limits: RateLimits
    /// Refuses without the store the bids it is sure to refuse; the rest go to `store`.
    let gate: BidGate

    func addRoutes(to router: Router<AppRequestContext>, protected: RouterGroup<AppRequestContext>) {
        router.group("lots").get(":lot_id/bids", use: list)
        let signedIn = protected.group("lots").add(middleware: limits.perUser(.bids))
            .add(middleware: IdempotencyMiddleware(store: store))
        signedIn.post(":lot_id/bids") { request, context in
            try await bid(request, context: context, mode: .create)
        }
        signedIn.patch(":lot_id/bids") { request, context in
            try await bid(request, context: context, mode: .raise)
        }
    }

    func bid(_ request: Request, context: AppRequestContext, mode: BidMode) async throws -> Response {
        let user = try context.requireIdentity()
        let lotID = try context.lotID()
        let input = try await request.decode(as: BidInput.self, context: context).checked(for: mode)
        let status: HTTPResponse.Status = mode == .create ? .created : .ok
        // The bidder's own answer shows their maximum (a replay is theirs too: the key is per user).
        let answer = { @Sendable (outcome: BidOutcome) in
            StoredResponse(json: outcome.bid.json(showingMaximum: true), status: status)
        }
        let outcome = try await gate.placeBid(
            lotID: lotID,
            request: BidRequest(bidderID: user.id, amount: input.amount, maxAmount: input.maxAmount, mode: mode),
            now: Date(), idempotency: context.idempotentRecording(answer))
        await publisher.publish(outcome.events + outcome.userEvents)
        return answer(outcome).response()
    }

    /// Nobody's maximum, the bidder's own included: the route needs no token.
    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lotID = try context.lotID()
        let query = try request.decodeQuery(as: BidListQuery.self)
        let bids = try await store.bids(lotID: lotID, limit: query.limit, after: query.after)
        var response = JSONResponse.raw(OrderedJSON.array(bids.map(\.json)))
        // The cursor of the next page, when this one is full (as GET /lots).
        if bids.count == query.limit, let last = bids.last {
            response.headers[HTTPField.Name("X-Next-After")!] = BidCursor(after: last).description
        }
        return response
    }
}
