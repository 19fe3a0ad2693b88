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

    @Test func aNonASCIIPartHeaderNameIsRefusedNotATrap() {
        #expect(MultipartFields.parse(Self.nonASCIIHeaderName, contentType: "multipart/form-data; boundary=X") == nil)
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
