@testable import AuctionServer
import Foundation
import Testing

/// docs/API.md and the OpenAPI document describe the same routes.
@Suite("docs/API.md")
struct APIReferenceTests {
    static func reference() throws -> String {
        let url = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/API.md")
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// The "### `METHOD /path`" headings of the reference, WebSocket routes aside.
    static func headings(_ text: String) -> Set<String> {
        var headings: Set<String> = []
        for line in text.split(separator: "\n") where line.hasPrefix("### `") && line.hasSuffix("`") {
            let route = String(line.dropFirst(5).dropLast())
            if !route.hasPrefix("WEBSOCKET ") { headings.insert(route) }
        }
        return headings
    }

    @Test func everyOperationHasASectionAndEverySectionAnOperation() throws {
        let operations = Set(try OpenAPIDocumentTests.documented().keys)
        #expect(Self.headings(try Self.reference()) == operations)
    }

    @Test func theLotSocketIsDescribed() throws {
        #expect(try Self.reference().contains("### `WEBSOCKET /ws/lots/{lot_id}`"))
    }
}
