import Foundation

/// Which tokens are live. Each token carries an id that is a key here; logging
/// out deletes it, so the token is refused on every node from then on.
public protocol SessionStore: Sendable {
    /// Runs the store's connections until cancelled; returns at once when there is nothing to run.
    func run() async throws
    /// Records a session that lasts until `expiresAt`.
    func create(id: String, userID: Int64, expiresAt: Date) async throws
    /// True while the session exists and has not expired.
    func isActive(id: String) async throws -> Bool
    /// Ends the session; unknown ids are ignored.
    func revoke(id: String) async throws
    /// Answers when the store does (for readiness checks).
    func ping() async throws
}
