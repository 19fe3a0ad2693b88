import Foundation
import JWTKit

/// Checks access tokens: the JWT's signature and expiry (remembered per process),
/// then the session store, so that a logged-out token is refused on every node.
struct TokenVerifier: Sendable {
    let keys: JWTKeyCollection
    let check: SessionCheck
    let verified = VerifiedTokens()

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
}
