import AuctionCore
import Foundation
import JWTKit

/// Issues and checks access tokens: a JWT signature and expiry, then the session
/// store, so that a logged-out token is refused on every node.
struct TokenService: Sendable {
    let keys: JWTKeyCollection
    let check: SessionCheck
    let lifetime: TimeInterval
    let verified = VerifiedTokens()

    init(settings: AppSettings, sessions: any SessionStore) async {
        let keys = JWTKeyCollection()
        let digest: DigestAlgorithm =
            switch settings.jwtAlgorithm {
            case .HS256: .sha256
            case .HS384: .sha384
            case .HS512: .sha512
            }
        await keys.add(hmac: HMACKey(from: settings.jwtSecret), digestAlgorithm: digest)
        self.keys = keys
        self.check = SessionCheck(sessions: sessions)
        self.lifetime = TimeInterval(settings.tokenLifetimeMinutes * 60)
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

    /// The token's claims, or an `APIError` 401 (bad signature, expired, revoked).
    func verify(_ token: String) async throws -> TokenClaims {
        let claims: TokenClaims
        if let known = verified.claims(for: token, now: Date()) {
            claims = known
        } else {
            do {
                claims = try await keys.verify(token, as: TokenClaims.self)
            } catch {
                throw APIError.unauthorized("Could not validate credentials: the token is invalid or expired")
            }
            verified.remember(token, claims: claims)
        }
        guard try await check.isActive(id: claims.jti.value, expiresAt: claims.exp.value) else {
            throw APIError.unauthorized("Could not validate credentials: the session has ended")
        }
        return claims
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
