import AuctionCore
import Foundation
import Hummingbird
import HummingbirdAuth

/// `/account`: registration, login (OAuth2 password form), the current user, logout.
struct AccountController: Sendable {
    let store: any AuctionStore
    let tokens: TokenIssuer
    let hasher: PasswordHasher
    let limits: RateLimits

    func addRoutes(to router: Router<AppRequestContext>, protected: RouterGroup<AppRequestContext>) {
        router.group("account").add(middleware: limits.perAddress(.registrations))
            .add(middleware: IdempotencyMiddleware(store: store)).post(use: register)
        router.group("account/token").add(middleware: limits.perAddress(.logins)).post(use: login)
        let signedIn = protected.group("account")
        signedIn.delete("token", use: logout)
        signedIn.post("logout", use: logout)
        // The router treats `/account/me/` as `/account/me`: one route serves both.
        signedIn.get("me", use: me)
    }

    @Sendable func register(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: RegistrationInput.self, context: context)
        let hash = try await hasher.hash(input.password)
        let answer = { @Sendable (user: User) in
            StoredResponse(json: SmallResponses.user(id: user.id, username: user.username), status: .created)
        }
        let user = try await store.createUser(
            username: input.username, passwordHash: hash, idempotency: context.idempotentRecording(answer))
        return answer(user).response()
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> Response {
        let input = try await request.decode(as: LoginInput.self, context: context)
        // Counted before the password is checked, so that parallel guesses are
        // bounded too, and taken back when it was right: only failures remain.
        // A name longer than any account's can fail but is nobody's to protect.
        let counted = input.username.unicodeScalars.count <= RegistrationInput.maxUsernameLength
        if counted { try await limits.enforce(.loginFailures, key: input.username) }
        guard let user = try await store.user(named: input.username) else {
            try await hasher.verifyAgainstNothing(input.password)
            throw APIError.unauthorized("Incorrect username or password")
        }
        guard try await hasher.verify(input.password, hash: user.passwordHash) else {
            throw APIError.unauthorized("Incorrect username or password")
        }
        if counted { await limits.forgive(.loginFailures, key: input.username) }
        let token = try await tokens.issue(for: user)
        return JSONResponse.raw(SmallResponses.token(token), status: .created)
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.requireIdentity()
        // The token outlives an account removed from the store: the store has the last word.
        guard let user = try await store.user(id: identity.id) else {
            throw APIError.unauthorized("Could not validate credentials: the user no longer exists")
        }
        return JSONResponse.raw(SmallResponses.user(id: user.id, username: user.username))
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> Response {
        try await tokens.revoke(context.requireIdentity().claims)
        return JSONResponse.raw(SmallResponses.message("Logged out"))
    }
}
