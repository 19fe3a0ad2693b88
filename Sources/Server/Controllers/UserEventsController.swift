import AuctionCore
import Hummingbird

/// `GET /account/me/events?since=N&limit=M`: the signed-in user's own event log
/// (outbid, auto_bid, won, lost), the objects `/ws/me` sends, a page at a time.
struct UserEventsController: Sendable {
    let store: any AuctionStore

    func addRoutes(to protected: RouterGroup<AppRequestContext>) {
        protected.get("account/me/events", use: events)
    }

    @Sendable func events(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try context.requireIdentity()
        let query = try request.decodeQuery(as: EventsQuery.self)
        let events = try await store.userEvents(userID: user.id, since: query.since, limit: query.limit)
        return JSONResponse.raw(OrderedJSON.array(events.map(\.json)))
    }
}
