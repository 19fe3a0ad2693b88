import AuctionCore
import Hummingbird

/// The user behind a request's bearer token.
struct AuthenticatedUser: Sendable {
    let id: Int64
    let username: String
    let claims: TokenClaims
}

extension TokenService {
    /// A token this server issues is well under 1 KiB; a longer one is refused
    /// before it is decoded or hashed.
    static let maxTokenBytes = 4096

    /// Reads `Authorization: Bearer <JWT>`; 401 with `WWW-Authenticate: Bearer` otherwise.
    func authenticate(_ request: Request) async throws -> AuthenticatedUser {
        guard let header = request.headers[.authorization] else {
            throw APIError.unauthorized("Not authenticated")
        }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer", !parts[1].isEmpty else {
            throw APIError.unauthorized("Not authenticated: use Authorization: Bearer <token>")
        }
        guard parts[1].utf8.count <= Self.maxTokenBytes else {
            throw APIError.unauthorized("Could not validate credentials: the token is too long")
        }
        let claims = try await verify(String(parts[1]))
        guard let id = Int64(claims.sub.value) else {
            throw APIError.unauthorized("Could not validate credentials")
        }
        return AuthenticatedUser(id: id, username: claims.username, claims: claims)
    }
}
