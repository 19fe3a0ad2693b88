/// An account. The password hash is bcrypt's text form.
public struct User: Sendable, Equatable {
    public let id: Int64
    public let username: String
    public let passwordHash: String

    public init(id: Int64, username: String, passwordHash: String) {
        self.id = id
        self.username = username
        self.passwordHash = passwordHash
    }
}
