@testable import AuctionServer
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Pages")
struct PagesTests {
    /// The page headers: HTML (or the asset's type), the CSP and nosniff.
    static func expectPageHeaders(_ reply: Reply, type: String) {
        #expect(reply.headers[.contentType] == "\(type); charset=utf-8")
        #expect(reply.headers[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
        #expect(reply.headers[.xContentTypeOptions] == "nosniff")
    }

    @Test func docsPageAndItsAssetsAnswer() async throws {
        try await TestApp.run { client in
            let page = try await client.call(.get, "/docs")
            #expect(page.status == .ok)
            Self.expectPageHeaders(page, type: "text/html")
            #expect(page.text.contains(#"<script src="/pages/docs.js""#))
            let script = try await client.call(.get, "/pages/docs.js")
            #expect(script.status == .ok)
            Self.expectPageHeaders(script, type: "text/javascript")
            #expect(script.text.contains(#"fetch("/openapi.json")"#))
            let style = try await client.call(.get, "/pages/pages.css")
            #expect(style.status == .ok)
            Self.expectPageHeaders(style, type: "text/css")
        }
    }

    @Test func livePageOfALotAnswers() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("page-owner")
            let lot = try await client.createLot(owner)
            let page = try await client.call(.get, "/lots/\(lot)/live")
            #expect(page.status == .ok)
            Self.expectPageHeaders(page, type: "text/html")
            #expect(page.text.contains(#"<script src="/pages/live.js""#))
            let script = try await client.call(.get, "/pages/live.js")
            #expect(script.status == .ok)
            Self.expectPageHeaders(script, type: "text/javascript")
            #expect(script.text.contains("/ws/lots/"))
        }
    }

    @Test(arguments: ["/lots/999/live", "/lots/0/live", "/lots/-3/live", "/lots/abc/live", "/lots/99999999999999999999/live"])
    func livePageOfNoLotIsAnHTML404(path: String) async throws {
        try await TestApp.run { client in
            let page = try await client.call(.get, path)
            #expect(page.status == .notFound)
            Self.expectPageHeaders(page, type: "text/html")
            #expect(page.text.contains("Lot not found"))
        }
    }

    @Test func pagesAreServedByTheAPIRoleNotTheGateway() async throws {
        var settings = try TestApp.settings()
        settings.role = .gateway
        try await TestApp.run(.router, settings: settings) { client in
            let docs = try await client.call(.get, "/docs")
            let live = try await client.call(.get, "/lots/1/live")
            #expect(docs.status == .notFound)
            #expect(live.status == .notFound)
        }
    }
}
