import AuctionCore
import Foundation
import Testing

@Suite("JSON text")
struct JSONTextTests {
    @Test(arguments: ["plain", "", "€ and ünïcode", "quote \" here", "back\\slash", "line\nbreak\ttab\r", "bell\u{07}"])
    func stringsRoundTrip(value: String) throws {
        let text = JSONText.string(value)
        let decoded = try JSONSerialization.jsonObject(with: Data("[\(text)]".utf8)) as? [String]
        #expect(decoded == [value])
    }

    @Test func plainTextIsOnlyQuoted() {
        #expect(JSONText.string("Lot not found") == "\"Lot not found\"")
        #expect(JSONText.string("a\"b") == #""a\"b""#)
    }
}
