import Hummingbird
import HummingbirdAuth

/// The protected routes' middleware: reads `Authorization: Bearer <JWT>` and sets
/// the context's identity, or answers 401 with `WWW-Authenticate: Bearer`.
/// It is only on the protected group, so a missing token is refused here rather
/// than passed on unauthenticated as the protocol's nil would.
struct BearerAuthenticator: AuthenticatorMiddleware {
    typealias Context = AppRequestContext
    let tokens: TokenVerifier
    /// Lets a request without `Authorization` through unauthenticated (a route
    /// that shows its owner more); a token given is still checked.
    var optional = false
    /// A token this server issues is well under 1 KiB; a longer one is refused
    /// before it is decoded or hashed.
    static let maxTokenBytes = 4096

    func authenticate(request: Request, context: AppRequestContext) async throws -> AuthenticatedUser? {
        guard let header = request.headers[.authorization] else {
            if optional { return nil }
            throw APIError.unauthorized("Not authenticated")
        }
        // The scheme is case-insensitive (RFC 9110), which `HTTPFields.bearer` is not.
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("Not authenticated: use Authorization: Bearer <token>")
        }
        guard parts[1].utf8.count <= Self.maxTokenBytes else {
            throw APIError.unauthorized("Could not validate credentials: the token is too long")
        }
        let claims = try await tokens.verify(String(parts[1]))
        guard let id = Int64(claims.sub.value) else {
            throw APIError.unauthorized("Could not validate credentials")
        }
        return AuthenticatedUser(id: id, username: claims.username, claims: claims)
    }
}
