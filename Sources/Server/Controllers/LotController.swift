import AuctionCore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// `/lots`: create, list, read one, change status, and the event log.
struct LotController: Sendable {
    let store: any AuctionStore
    let publisher: EventPublisher

    /// `signedInIfAny`: routes whose token is optional (the owner sees more).
    func addRoutes(
        to router: Router<AppRequestContext>, protected: RouterGroup<AppRequestContext>,
        signedInIfAny: RouterGroup<AppRequestContext>
    ) {
        let open = router.group("lots")
        open.get(use: list)
        signedInIfAny.group("lots").get(":lot_id", use: show)
        open.get(":lot_id/events", use: events)
        let signedIn = protected.group("lots")
        signedIn.group().add(middleware: IdempotencyMiddleware(store: store)).post(use: create)
        signedIn.patch(":lot_id/status", use: setStatus)
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let input = try await request.decode(as: NewLotInput.self, context: context)
        let now = Date()
        // The owner's own answer shows the reserve.
        let answer = { @Sendable (lot: Lot) in StoredResponse(json: lot.json(showingReserve: true), status: .created) }
        let lot = try await store.createLot(
            input.newLot(ownerID: user.id, now: now), now: now, idempotency: context.idempotentRecording(answer))
        return answer(lot).response()
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try request.decodeQuery(as: LotListQuery.self)
        let lots = try await store.lots(filter: query.filter, limit: query.limit, after: query.after)
        var response = JSONResponse.raw(OrderedJSON.array(lots.map(\.json)))
        // The cursor of the next page, when this one is full.
        if lots.count == query.limit, let last = lots.last {
            response.headers[HTTPField.Name("X-Next-After")!] = String(last.id)
        }
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        guard let lot = try await store.lot(id: context.lotID()) else { throw APIError.lotNotFound }
        return JSONResponse.raw(lot.json(showingReserve: context.identity?.id == lot.ownerID))
    }

    @Sendable func setStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let id = try context.lotID()
        let query = try request.decodeQuery(as: LotStatusInput.Query.self)
        let body = try await request.decode(as: LotStatusInput.self, context: context)
        let status = try LotStatusInput.status(query: query, body: body)
        let events = try await store.setStatus(lotID: id, status: status, by: user.id, now: Date())
        await publisher.publish(events)
        return JSONResponse.raw(SmallResponses.message("Lot \(id) status updated to \(status.rawValue)"))
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try context.lotID()
        let query = try request.decodeQuery(as: EventsQuery.self)
        guard try await store.lot(id: id) != nil else { throw APIError.lotNotFound }
        let events = try await store.events(lotID: id, since: query.since, limit: query.limit)
        return JSONResponse.raw(OrderedJSON.array(events.map(\.json)))
    }
}
