import AuctionCore
import Foundation
import HTTPTypes
import Hummingbird

/// `/lots`: create, list, read one, change status, and the event log.
struct LotController: Sendable {
    let store: any AuctionStore
    let tokens: TokenService
    let publisher: EventPublisher

    static let maxPage = 100
    static let maxEventsPage = 1000

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("lots")
        group.post(use: create)
        group.get(use: list)
        group.get(":lot_id", use: show)
        group.patch(":lot_id/status", use: setStatus)
        group.get(":lot_id/events", use: events)
    }

    /// Ids in paths are positive integers; anything else is an unknown lot.
    static func lotID(_ context: some RequestContext) throws -> Int64 {
        guard let text = context.parameters.get("lot_id"), let id = Int64(text), id > 0 else {
            throw APIError.lotNotFound
        }
        return id
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await tokens.authenticate(request)
        var request = request
        let fields = try await RequestFields.read(from: &request)
        let now = Date()
        let lot = try await store.createLot(LotInput.newLot(fields, ownerID: user.id, now: now), now: now)
        return JSONResponse.raw(lot.json, status: .created)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> Response {
        let query = try RequestFields.decodeForm(request.uri.query ?? "", part: "query")
        var filter = LotFilter.running
        if let text = try query.text("status") {
            guard let value = LotFilter(rawValue: text) else {
                throw APIError.validation("status", "must be running, finished or all")
            }
            filter = value
        }
        let limit = Int(try query.integer("limit", in: 1...Int64(Self.maxPage)) ?? Int64(Self.maxPage))
        let after = try query.integer("after", in: 1...Int64.max)
        let lots = try await store.lots(filter: filter, limit: limit, after: after)
        var response = JSONResponse.raw(OrderedJSON.array(lots.map(\.json)))
        // The cursor of the next page, when this one is full.
        if lots.count == limit, let last = lots.last {
            response.headers[HTTPField.Name("X-Next-After")!] = String(last.id)
        }
        return response
    }

    @Sendable func show(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.lotID(context)
        guard let lot = try await store.lot(id: id) else { throw APIError.lotNotFound }
        return JSONResponse.raw(lot.json)
    }

    @Sendable func setStatus(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await tokens.authenticate(request)
        let id = try Self.lotID(context)
        var request = request
        let query = try RequestFields.decodeForm(request.uri.query ?? "", part: "query")
        let body = try await RequestFields.read(from: &request)
        let text = try query.text("lot_status") ?? body.text("lot_status") ?? body.text("status")
        guard let text else { throw APIError.validation("lot_status", "field required") }
        guard let status = LotStatus(rawValue: text) else {
            throw APIError.validation("lot_status", "must be running or finished")
        }
        let events = try await store.setStatus(lotID: id, status: status, by: user.id, now: Date())
        await publisher.publish(events)
        return JSONResponse.raw(SmallResponses.message("Lot \(id) status updated to \(status.rawValue)"))
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let id = try Self.lotID(context)
        let query = try RequestFields.decodeForm(request.uri.query ?? "", part: "query")
        let since = try query.integer("since", in: 0...Int64.max) ?? 0
        let limit = Int(try query.integer("limit", in: 1...Int64(Self.maxEventsPage)) ?? Int64(Self.maxEventsPage))
        guard try await store.lot(id: id) != nil else { throw APIError.lotNotFound }
        let events = try await store.events(lotID: id, since: since, limit: limit)
        return JSONResponse.raw(OrderedJSON.array(events.map(\.json)))
    }
}
