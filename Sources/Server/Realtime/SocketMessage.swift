import AuctionCore

/// What the hub and the socket's reader queue for a socket's single writer.
enum SocketMessage: Sendable {
    case event(EventRecord)
    case pong
}
