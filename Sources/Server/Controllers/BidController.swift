import AuctionCore
import Foundation
import Hummingbird

/// `/lots/{lot_id}/bids`: place a bid (POST), raise it (PATCH), list them (GET).
struct BidController: Sendable {
    let store: any AuctionStore
    let tokens: TokenService
    let publisher: EventPublisher

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("lots")
        group.post(":lot_id/bids") { request, context in
            try await bid(request, context: context, mode: .create)
        }
        group.patch(":lot_id/bids") { request, context in
            try await bid(request, context: context, mode: .raise)
        }
        group.get(":lot_id/bids", use: list)
    }

    func bid(_ request: Request, context: AppRequestContext, mode: BidMode) async throws -> Response {
        let user = try await tokens.authenticate(request)
        let lotID = try LotController.lotID(context)
        var request = request
        let fields = try await RequestFields.read(from: &request)
        let amount = try fields.requiredMoney("amount")
        let outcome = try await store.placeBid(lotID: lotID, bidderID: user.id, amount: amount, mode: mode, now: Date())
        await publisher.publish(outcome.events)
        return JSONResponse.raw(outcome.bid.json, status: mode == .create ? .created : .ok)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let lotID = try LotController.lotID(context)
        let bids = try await store.bids(lotID: lotID)
        return JSONResponse.raw(OrderedJSON.array(bids.map(\.json)))
    }
}
