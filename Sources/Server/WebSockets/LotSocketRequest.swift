import AuctionCore
import Hummingbird
import HummingbirdCore

/// `/ws/lots/{lot_id}[?since=N]`, read and checked before the upgrade: an unknown
/// lot is a 404 and a bad `since` a 422, answered as HTTP, never as a socket.
struct LotSocketRequest: Sendable, Equatable {
    let lotID: Int64
    let since: Int64?

    /// Reads the path and query; a path that is no lot socket is a 404.
    init(uri: URI) throws {
        let parts = uri.path.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 3, parts[0] == "ws", parts[1] == "lots" else {
            throw APIError(status: .notFound, detail: ErrorMiddleware<AppRequestContext>.sentence(for: .notFound))
        }
        guard let lotID = Int64(parts[2]), lotID > 0 else { throw APIError.lotNotFound }
        self.lotID = lotID
        self.since = try RequestFields.decodeForm(uri.query ?? "", part: "query").integer("since", in: 0...Int64.max)
    }

    /// From an HTTP/1 request target (`/ws/lots/7?since=3`), as the upgrade handler reads it.
    init(target: String) throws {
        try self.init(uri: URI(target))
    }

    /// The seq the socket's events start after: the client's `since`, or else the
    /// lot's last seq now, read before the 101 is written. Throws the refusal when
    /// the lot does not exist (or the store's error).
    func start(in store: any AuctionStore) async throws -> Int64 {
        try await start(in: SocketReads(store: store))
    }

    /// The same through the server's coalesced reads: sockets opening on one lot at once read it once.
    func start(in reads: SocketReads) async throws -> Int64 {
        guard let lot = try await reads.lot(id: lotID) else { throw APIError.lotNotFound }
        return since ?? lot.seq
    }
}
