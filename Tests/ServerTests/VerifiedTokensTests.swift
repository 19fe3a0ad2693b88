@testable import AuctionServer
import Foundation
import JWTKit
import Testing

@Suite("Verified tokens")
struct VerifiedTokensTests {
    static func claims(expiring: Date) -> TokenClaims {
        TokenClaims(
            sub: SubjectClaim(value: "1"), username: "u", jti: IDClaim(value: "s"),
            iat: IssuedAtClaim(value: expiring.addingTimeInterval(-60)), exp: ExpirationClaim(value: expiring))
    }

    @Test func aKnownTokenIsAnsweredUntilItExpires() {
        let cache = VerifiedTokens()
        let now = Date()
        #expect(cache.claims(for: "t", now: now) == nil)
        cache.remember("t", claims: Self.claims(expiring: now.addingTimeInterval(10)))
        #expect(cache.claims(for: "t", now: now)?.username == "u")
        #expect(cache.claims(for: "other", now: now) == nil)
        #expect(cache.claims(for: "t", now: now.addingTimeInterval(10)) == nil)
        #expect(cache.count == 0)
    }

    @Test func itStartsOverWhenFull() {
        let cache = VerifiedTokens(capacity: 3)
        let later = Date().addingTimeInterval(60)
        for token in ["a", "b", "c", "d"] { cache.remember(token, claims: Self.claims(expiring: later)) }
        #expect(cache.count == 1)
        #expect(cache.claims(for: "d", now: Date()) != nil)
    }
}

@Suite("Form decoding")
struct FormDecodingTests {
    @Test(arguments: [
        ("amount=12.5", "12.5"), ("amount=a%20b+c", "a b c"), ("amount=%E2%82%AC1", "€1"), ("amount=", ""),
        ("amount=%41%62", "Ab"),
    ])
    func decodes(body: String, value: String) throws {
        #expect(try RequestFields.decodeForm(body).text("amount") == value)
    }

    @Test(arguments: ["amount=%", "amount=%4", "amount=%zz", "amount=%FF", "%=1"])
    func refusesBadEscapes(body: String) {
        #expect(throws: APIError.self) { try RequestFields.decodeForm(body) }
    }
}
