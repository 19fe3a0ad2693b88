import AuctionCore
import Foundation
import Hummingbird

/// `/account`: registration, login (OAuth2 password form), the current user, logout.
struct AccountController: Sendable {
    let store: any AuctionStore
    let tokens: TokenService
    let hasher: PasswordHasher

    func addRoutes(to router: Router<AppRequestContext>) {
        let group = router.group("account")
        group.post(use: register)
        group.post("token", use: login)
        group.delete("token", use: logout)
        group.post("logout", use: logout)
        // The router treats `/account/me/` as `/account/me`: one route serves both.
        group.get("me", use: me)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = try await RequestFields.read(from: &request)
        let username = try AccountInput.username(fields)
        let password = try AccountInput.password(fields)
        let hash = try await hasher.hash(password)
        let user = try await store.createUser(username: username, passwordHash: hash)
        return JSONResponse.raw(SmallResponses.user(id: user.id, username: user.username), status: .created)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        var request = request
        let fields = try await RequestFields.read(from: &request)
        let username = try fields.requiredText("username")
        let password = try fields.requiredText("password")
        if let grantType = try fields.text("grant_type"), !grantType.isEmpty, grantType != "password" {
            throw APIError.validation("grant_type", "must be \"password\"")
        }
        guard let user = try await store.user(named: username) else {
            try await hasher.verifyAgainstNothing(password)
            throw APIError.unauthorized("Incorrect username or password")
        }
        guard try await hasher.verify(password, hash: user.passwordHash) else {
            throw APIError.unauthorized("Incorrect username or password")
        }
        let token = try await tokens.issue(for: user)
        return JSONResponse.raw(SmallResponses.token(token), status: .created)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let claims = try await tokens.authenticate(request)
        // The token outlives an account removed from the store: the store has the last word.
        guard let user = try await store.user(id: claims.id) else {
            throw APIError.unauthorized("Could not validate credentials: the user no longer exists")
        }
        return JSONResponse.raw(SmallResponses.user(id: user.id, username: user.username))
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        let user = try await tokens.authenticate(request)
        try await tokens.revoke(user.claims)
        return JSONResponse.raw(SmallResponses.message("Logged out"))
    }
}

/// Validation of account fields.
enum AccountInput {
    static func username(_ fields: RequestFields) throws -> String {
        let username = try fields.requiredText("username")
        guard (1...64).contains(username.count) else {
            throw APIError.validation("username", "must be 1 to 64 characters long")
        }
        guard username.trimmingCharacters(in: .whitespacesAndNewlines) == username,
              !username.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) })
        else {
            throw APIError.validation("username", "must not start or end with spaces or contain control characters")
        }
        return username
    }

    static func password(_ fields: RequestFields) throws -> String {
        let password = try fields.requiredText("password")
        guard !password.isEmpty else { throw APIError.validation("password", "must not be empty") }
        // bcrypt reads 72 bytes at most; a longer password would be silently cut.
        guard password.utf8.count <= 72 else {
            throw APIError.validation("password", "must be at most 72 bytes long")
        }
        return password
    }
}
