/// The user behind a request's bearer token: the identity of the protected routes.
public struct AuthenticatedUser: Sendable {
    let id: Int64
    let username: String
    let claims: TokenClaims
}
