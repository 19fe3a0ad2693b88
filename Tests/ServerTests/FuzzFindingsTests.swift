@testable import AuctionServer
import Foundation
import HTTPTypes
import Testing

/// Inputs scripts/fuzz found, each kept as the check that it stays fixed.
@Suite("Fuzz findings")
struct FuzzFindingsTests {
    /// MultipartKit trapped on a byte over 0x7F in a part's header name (here the
    /// replacement character of an invalid byte): the whole process ended.
    static let nonASCIIHeaderName =
        "--X\r\nContent-Dispos\u{FFFD}tion: form-data; name=\"amount\"\r\n\r\n12.5\r\n--X--\r\n"

    /// The same trap behind a header value ended by a bare LF: MultipartKit reads the
    /// value on to the CR, so the next line is a header name (the guard's first scan,
    /// by lines, took the CR for the blank line and let it through).
    static let nonASCIINameAfterABareLineFeed =
        "--X\r\nContent-Disposition: form-data; name=\"amount\"\n\r\nn\u{FFFD}me: x\r\n\r\n12.5\r\n--X--\r\n"

    @Test func aNonASCIIPartHeaderNameIsRefusedNotATrap() {
        #expect(MultipartFields.parse(Self.nonASCIIHeaderName, contentType: "multipart/form-data; boundary=X") == nil)
    }

    @Test func aNonASCIIHeaderNameAfterAValueEndedByABareLineFeedIsRefused() {
        #expect(!MultipartHeaderGuard.headerNamesAreASCII(Self.nonASCIINameAfterABareLineFeed, boundary: "X"))
        #expect(MultipartFields.parse(Self.nonASCIINameAfterABareLineFeed, contentType: "multipart/form-data; boundary=X") == nil)
    }

    /// The scan follows the parser past bodies and later delimiters: a second part's
    /// header name is checked, and well-formed bodies with several parts still read.
    @Test func everyPartsHeaderNamesAreChecked() {
        let secondPart = "preamble\r\n--X\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n-x\r\n"
            + "--X\r\nCont\u{E9}nt-Disposition: form-data; name=\"b\"\r\n\r\n2\r\n--X--\r\n"
        #expect(!MultipartHeaderGuard.headerNamesAreASCII(secondPart, boundary: "X"))
        let wellFormed = secondPart.replacingOccurrences(of: "\u{E9}", with: "e")
        #expect(MultipartFields.parse(wellFormed, contentType: "multipart/form-data; boundary=X") == ["a": "1\r\n-x", "b": "2"])
    }

    @Test func theServerAnswersItWith422AndServesOn() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ann")
            let bidder = try await client.register("ben")
            let lot = try await client.createLot(owner)
            let body = Body.raw(contentType: "multipart/form-data; boundary=X", Self.nonASCIIHeaderName)
            let reply = try await client.call(.post, "/lots/\(lot)/bids", body, token: bidder.token)
            #expect(reply.status == .unprocessableContent, "\(reply.text)")
            #expect(try await client.bid(bidder, lot: lot, "12.5").status == .created)
        }
    }

    @Test func nonASCIIHeaderValuesAndBodiesStillRead() {
        let body = "--X\r\nContent-Disposition: form-data; name=\"title\"; filename=\"thé.txt\"\r\n\r\nThéière\r\n--X--\r\n"
        #expect(MultipartFields.parse(body, contentType: "multipart/form-data; boundary=X") == ["title": "Théière"])
    }
}
