import AuctionCore
import Foundation
import Hummingbird
import HummingbirdAuth

/// `/lots/{lot_id}/bids`: place a bid (POST), raise it (PATCH), list them (GET).
struct BidController: Sendable {
    let store: any AuctionStore
    let publisher: EventPublisher

    func addRoutes(to router: Router<AppRequestContext>, protected: RouterGroup<AppRequestContext>) {
        router.group("lots").get(":lot_id/bids", use: list)
        let signedIn = protected.group("lots")
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
        let input = try await request.decode(as: BidInput.self, context: context)
        let outcome = try await store.placeBid(
            lotID: lotID, bidderID: user.id, amount: input.amount, mode: mode, now: Date())
        await publisher.publish(outcome.events + outcome.userEvents)
        return JSONResponse.raw(outcome.bid.json, status: mode == .create ? .created : .ok)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let bids = try await store.bids(lotID: context.lotID())
        return JSONResponse.raw(OrderedJSON.array(bids.map(\.json)))
    }
}
