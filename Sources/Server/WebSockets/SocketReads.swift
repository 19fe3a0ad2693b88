import AuctionCore

/// The store reads a socket makes on opening (its lot, its `?since=` replay),
/// coalesced: identical reads in flight at once are one store call, and a replay
/// page serves the sockets of its window. A mass reconnect of 20,000 sockets to
/// one lot with the same `since` reads the replay page once, not 20,000 times.
struct SocketReads: Sendable {
    struct Page: Hashable, Sendable {
        let stream: EventStream
        let since: Int64
        let limit: Int
    }

    let store: any AuctionStore
    private let lots = Singleflight<Int64, Lot?>()
    /// A page read stays valid for a caller as long as it reaches what the caller
    /// knows is in the log (the log only grows), so it is kept for a replay window:
    /// sockets resuming over a few seconds with the same `since` share one read.
    private let pages: Singleflight<Page, [EventRecord]>

    /// How long a replay page is kept for the sockets that resume after it.
    static let replayWindow = Duration.seconds(5)

    init(store: any AuctionStore) {
        self.store = store
        self.pages = Singleflight(retention: Self.replayWindow)
    }

    /// The lot, or nil. A shared "no such lot" is read again: the read may have
    /// started before the lot was created.
    func lot(id: Int64) async throws -> Lot? {
        try await lots.value(for: id, fresh: { $0 != nil }) { [store] in try await store.lot(id: id) }
    }

    /// The stream's events after `since`, at most `limit`, reaching at least
    /// `through` (an event the caller knows is in the log) unless the page is
    /// full: a shared read that started before `through` was written is not
    /// enough, and this caller reads again.
    func events(in stream: EventStream, since: Int64, limit: Int, through: Int64) async throws -> [EventRecord] {
        try await pages.value(
            for: Page(stream: stream, since: since, limit: limit),
            fresh: { $0.count >= limit || ($0.last?.seq ?? since) >= through }
        ) { [store] in try await store.events(in: stream, since: since, limit: limit) }
    }
}
