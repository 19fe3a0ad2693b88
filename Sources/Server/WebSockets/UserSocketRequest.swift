import AuctionCore
import Hummingbird
import HummingbirdCore

/// `/ws/me[?since=N][&token=JWT]`, read and checked before the upgrade. The token
/// comes from `?token=` or, for browsers (which cannot set headers on a
/// WebSocket), from `Sec-WebSocket-Protocol: bearer, <JWT>`; then the server
/// answers the subprotocol `bearer`. A missing, bad, expired or revoked token is
/// a 401 and a bad `since` a 422, answered as HTTP, never as a socket.
struct UserSocketRequest: Sendable, Equatable {
    static let path = "/ws/me"
    static let subprotocol = "bearer"

    let since: Int64?
    let token: String
    /// The subprotocol to answer: `bearer` when the token came that way.
    let acceptedSubprotocol: String?

    static func matches(_ uri: URI) -> Bool {
        uri.path == path || uri.path == path + "/"
    }

    /// `protocols`: the values of the request's `Sec-WebSocket-Protocol` headers.
    init(uri: URI, protocols: [String]) throws {
        let query = try RequestFields.decodeForm(uri.query ?? "", part: "query")
        since = try query.integer("since", in: 0...Int64.max)
        let offered = protocols.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        if let queried = try query.text("token"), !queried.isEmpty {
            token = queried
            acceptedSubprotocol = offered.contains(Self.subprotocol) ? Self.subprotocol : nil
        } else if offered.count >= 2, offered[0] == Self.subprotocol, !offered[1].isEmpty {
            token = offered[1]
            acceptedSubprotocol = Self.subprotocol
        } else {
            throw APIError.unauthorized("Not authenticated: use ?token=<JWT> or Sec-WebSocket-Protocol: bearer, <JWT>")
        }
        guard token.utf8.count <= BearerAuthenticator.maxTokenBytes else {
            throw APIError.unauthorized("Could not validate credentials: the token is too long")
        }
    }

    /// The user's stream, the seq the socket's events start after (the client's
    /// `since`, or the user's last seq now, read before the 101), and the session
    /// the hub watches. Throws the refusal.
    func open(with tokens: TokenVerifier, store: any AuctionStore) async throws
        -> (userID: Int64, start: Int64, session: SocketSession)
    {
        let claims = try await tokens.verify(token)
        guard let userID = Int64(claims.sub.value) else {
            throw APIError.unauthorized("Could not validate credentials")
        }
        let start: Int64
        if let since {
            start = since
        } else {
            start = try await store.latestUserSeqs(userIDs: [userID])[userID] ?? 0
        }
        return (userID, start, SocketSession(id: claims.jti.value, expiresAt: claims.exp.value))
    }
}
