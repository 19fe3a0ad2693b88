import JWTKit

/// What an access token carries: the user, the session id (`jti`, looked up in the
/// session store so that logout revokes it), and its expiry.
struct TokenClaims: JWTPayload {
    var sub: SubjectClaim
    var username: String
    var jti: IDClaim
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    /// Never issued here, but honoured when present (RFC 7519 4.1.5): a token is
    /// not accepted before its `nbf`.
    var nbf: NotBeforeClaim? = nil

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        try nbf?.verifyNotBefore()
    }
}
