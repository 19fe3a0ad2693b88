import AuctionCore
import Foundation
import JWTKit

/// Begins and ends sessions: a login's token (a session in the store, a signed
/// JWT naming it) and a logout's revocation.
struct TokenIssuer: Sendable {
    let keys: JWTKeyCollection
    let check: SessionCheck
    let lifetime: TimeInterval

    init(keys: JWTKeyCollection, check: SessionCheck, lifetimeMinutes: Int) {
        self.keys = keys
        self.check = check
        self.lifetime = TimeInterval(lifetimeMinutes * 60)
    }

    /// A new session and its token.
    func issue(for user: User, now: Date = Date()) async throws -> String {
        let sessionID = Self.newSessionID()
        let expiresAt = now.addingTimeInterval(lifetime)
        try await check.sessions.create(id: sessionID, userID: user.id, expiresAt: expiresAt)
        check.created(id: sessionID, expiresAt: expiresAt)
        let claims = TokenClaims(
            sub: SubjectClaim(value: String(user.id)), username: user.username, jti: IDClaim(value: sessionID),
            iat: IssuedAtClaim(value: now), exp: ExpirationClaim(value: expiresAt))
        return try await keys.sign(claims)
    }

    func revoke(_ claims: TokenClaims) async throws {
        try await check.sessions.revoke(id: claims.jti.value)
        check.revoked(id: claims.jti.value)
    }

    private static func newSessionID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt32, radix: 16).leftPadded(to: 8) }.joined()
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
