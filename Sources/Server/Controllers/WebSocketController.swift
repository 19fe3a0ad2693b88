import AuctionCore
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOWebSocket

/// `WEBSOCKET /ws/lots/{lot_id}[?since=N]`: the lot's events, one JSON text message
/// each. With `since`, every event after N is sent from the log first, then the live
/// stream; each socket keeps its own last seq, so nothing is sent twice or skipped.
struct WebSocketController: Sendable {
    let store: any AuctionStore
    let hub: WebSocketHub
    let bufferLimit: Int

    /// Largest message read from a client (they only send greetings and pings).
    static let maxInboundMessage = 4096

    func addRoutes(to router: Router<AppRequestContext>) {
        router.ws("/ws/lots/:lot_id") { request, context in
            // Refuse before the upgrade: an unknown lot is a 404, a bad `since` a 422.
            let lotID = try LotController.lotID(context)
            _ = try Self.since(request)
            guard try await store.lot(id: lotID) != nil else { throw APIError.lotNotFound }
            return .upgrade([:])
        } onUpgrade: { inbound, outbound, context in
            let lotID = try LotController.lotID(context.requestContext)
            let since = try Self.since(context.request)
            try await serve(lotID: lotID, since: since, inbound: inbound, outbound: outbound, logger: context.logger)
        }
    }

    static func since(_ request: Request) throws -> Int64? {
        guard let text = request.uri.queryParameters["since"] else { return nil }
        guard let value = Int64(String(text)), value >= 0 else {
            throw APIError.validation("since", "must be a whole number of at least 0")
        }
        return value
    }

    private func serve(
        lotID: Int64, since: Int64?, inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter,
        logger: Logger
    ) async throws {
        let (messages, feed) = AsyncStream<SocketMessage>.makeStream(bufferingPolicy: .bufferingOldest(bufferLimit))
        // Join before reading the backlog, so that nothing committed in between is missed.
        let membership = try await hub.join(lotID: lotID, feed: feed)
        defer { Task { [hub] in await hub.leave(lotID: lotID, id: membership.id) } }

        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                // Reader: answers `ping`, ignores the rest, ends when the client leaves.
                for try await message in inbound.messages(maxSize: Self.maxInboundMessage) {
                    if case .text(let text) = message, text == "ping" { feed.yield(.pong) }
                }
            }
            group.addTask {
                var lastSent = since ?? membership.after
                if since != nil {
                    lastSent = try await sendFromLog(lotID: lotID, after: lastSent, upTo: nil, outbound: outbound)
                }
                for await message in messages {
                    switch message {
                    case .pong:
                        try await outbound.write(.text("pong"))
                    case .event(let event):
                        if event.seq <= lastSent { continue }
                        if event.seq > lastSent + 1 {
                            lastSent = try await sendFromLog(
                                lotID: lotID, after: lastSent, upTo: event.seq - 1, outbound: outbound)
                        }
                        try await outbound.write(.text(event.json))
                        lastSent = event.seq
                    }
                }
                if !Task.isCancelled {
                    // The hub ended the feed: this socket fell too far behind.
                    try? await outbound.close(
                        .unknown(1013), reason: "too far behind; reconnect with ?since=\(lastSent)")
                }
            }
            // Whichever side ends first ends the socket.
            try await group.next()
            group.cancelAll()
            feed.finish()
        }
    }

    /// Sends the logged events after `after` (up to `upTo`), returning the last seq sent.
    private func sendFromLog(
        lotID: Int64, after: Int64, upTo: Int64?, outbound: WebSocketOutboundWriter
    ) async throws -> Int64 {
        var last = after
        let page = 500
        while true {
            let events = try await store.events(lotID: lotID, since: last, limit: page)
            for event in events {
                if let upTo, event.seq > upTo { return last }
                try await outbound.write(.text(event.json))
                last = event.seq
            }
            if events.count < page { return last }
        }
    }
}
