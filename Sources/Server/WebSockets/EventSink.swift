import AuctionCore
import Foundation

/// One socket as the hub sees it. Nothing here waits: the socket queues what it
/// is handed and does the work on its own event loop.
protocol EventSink: Sendable {
    /// Hands over the lot's next event. False when the socket is gone, so the
    /// hub forgets it.
    func offer(_ event: EventRecord) -> Bool
    /// Pings the peer, or closes it when the previous ping went unanswered.
    func checkAlive()
    /// Closes the socket with a WebSocket close code (server shutdown).
    func close(code: Int, reason: String)
    /// The session a user socket was opened with (nil for a lot socket), which
    /// the hub checks so that a logout closes the socket.
    var session: SocketSession? { get }
}

extension EventSink {
    var session: SocketSession? { nil }
}

/// A token's session id and expiry, as a user socket keeps them.
struct SocketSession: Sendable, Equatable {
    let id: String
    let expiresAt: Date
}
