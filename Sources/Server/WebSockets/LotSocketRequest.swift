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

    /// Throws the refusal when the lot does not exist (or the store's error).
    func checkLotExists(in store: any AuctionStore) async throws {
        guard try await store.lot(id: lotID) != nil else { throw APIError.lotNotFound }
    }
}
