/// `{"id", "username"}`
struct UserResponse: Encodable {
    let id: Int64
    let username: String
}

/// The OAuth2 token response of the original service.
struct TokenResponse: Encodable {
    let access_token: String
    let token_type = "bearer"
}

/// `{"message": "..."}`
struct MessageResponse: Encodable {
    let message: String
}
