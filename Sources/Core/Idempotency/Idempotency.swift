import Foundation

/// One request named by an `Idempotency-Key`: who sent it (`scope`: the user, or
/// empty for a route without one), the key, and what was asked (`fingerprint`: a
/// digest of method, path and body), so that a reused key with another request is told apart.
public struct IdempotencyKey: Sendable, Hashable {
    public let scope: String
    public let key: String
    public let fingerprint: String

    public init(scope: String, key: String, fingerprint: String) {
        self.scope = scope
        self.key = key
        self.fingerprint = fingerprint
    }
}

/// The right to run the request of a key: only the claim whose `token` the row
/// still holds may store a response, so a request whose lease was taken over
/// cannot commit its effect a second time.
public struct IdempotencyClaim: Sendable, Hashable {
    public let key: IdempotencyKey
    public let token: String

    public init(key: IdempotencyKey, token: String = UUID().uuidString) {
        self.key = key
        self.token = token
    }
}

/// The first answer to a key, kept to be answered again byte for byte.
public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let body: String

    public init(status: Int, body: String) {
        self.status = status
        self.body = body
    }
}

/// What a store says to a request that comes with a key.
public enum IdempotencyClaimResult: Sendable, Equatable {
    /// Run the request; hand this claim to the store call that makes its effect.
    case claimed(IdempotencyClaim)
    /// The key was answered: answer the same.
    case replay(StoredResponse)
    /// The first request with the key is still running (its lease has not run out).
    case inFlight
    /// The key was used with another request (route or body).
    case mismatch
}

/// Handed to a store call that makes an effect: the store renders the outcome
/// with `render` and keeps it under the claim in the effect's own transaction,
/// so that the effect and its answer commit together or not at all.
public struct IdempotentRecording<Outcome: Sendable>: Sendable {
    public let claim: IdempotencyClaim
    public let render: @Sendable (Outcome) -> StoredResponse

    public init(claim: IdempotencyClaim, render: @escaping @Sendable (Outcome) -> StoredResponse) {
        self.claim = claim
        self.render = render
    }
}

/// Thrown by a store call whose claim is no longer the key's (its lease ran out and
/// another request took the key over); the effect is rolled back.
public struct IdempotencyClaimLost: Error, Sendable, Equatable {
    public init() {}
}
