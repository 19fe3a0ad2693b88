import Foundation

/// `POST /account`: a new account's name and password, validated.
struct RegistrationInput: Decodable {
    static let maxUsernameLength = 64

    let username: String
    let password: String

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        username = try fields.decode(String.self, forKey: .username)
        guard (1...Self.maxUsernameLength).contains(username.unicodeScalars.count) else {  // code points, as JSON Schema counts
            throw APIError.validation("username", "must be 1 to 64 characters long")
        }
        guard username.trimmingCharacters(in: .whitespacesAndNewlines) == username,
              !username.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else {
            throw APIError.validation("username", "must not start or end with spaces or contain control characters")
        }
        password = try fields.decode(String.self, forKey: .password)
        guard !password.isEmpty else { throw APIError.validation("password", "must not be empty") }
        // bcrypt reads 72 bytes at most; a longer password would be silently cut.
        guard password.utf8.count <= 72 else {
            throw APIError.validation("password", "must be at most 72 bytes long")
        }
    }

    enum CodingKeys: String, CodingKey { case username, password }
}

/// `POST /account/token`: the OAuth2 password form.
struct LoginInput: Decodable {
    let username: String
    let password: String

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        username = try fields.decode(String.self, forKey: .username)
        password = try fields.decode(String.self, forKey: .password)
        if let grantType = try fields.text(.grantType), !grantType.isEmpty, grantType != "password" {
            throw APIError.validation("grant_type", "must be \"password\"")
        }
    }

    enum CodingKeys: String, CodingKey {
        case username, password
        case grantType = "grant_type"
    }
}
