import AuctionCore
import Hummingbird

/// The pages for people: `/docs` (the API reference, drawn by its script from
/// `/openapi.json`) and `/lots/{lot_id}/live`, with their assets under `/pages/`.
/// The HTML holds no data: the scripts fetch it and insert it as text, so nothing a
/// user wrote can become markup.
struct PagesController: Sendable {
    let store: any AuctionStore

    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("docs") { _, _ in PageResponse.html(DocsPage.html) }
        router.get("lots/:lot_id/live") { _, context in try await live(context) }
        router.get("pages/pages.css") { _, _ in PageResponse.style(PageStyle.css) }
        router.get("pages/docs.js") { _, _ in PageResponse.script(DocsPage.script) }
        router.get("pages/live.js") { _, _ in PageResponse.script(LivePage.script) }
    }

    /// The lot's page, or a 404 page for an id that is not a lot (by the API's rules:
    /// positive integers only).
    func live(_ context: AppRequestContext) async throws -> Response {
        guard let id = try? context.lotID(), try await store.lot(id: id) != nil else {
            return PageResponse.html(LivePage.notFound, status: .notFound)
        }
        return PageResponse.html(LivePage.html)
    }
}
