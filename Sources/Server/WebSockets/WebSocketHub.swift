import AuctionCore
import Logging

/// Hands each lot's events to the sockets watching it, in seq order, without gaps
/// or repeats: an event that arrives ahead of its predecessors (a message the
/// broker dropped, or a publish that overtook another) makes the hub read the
/// missing ones from the event log first; one already delivered is ignored.
///
/// The hub never waits for a socket: each sink queues what it is handed, and a
/// socket that falls too far behind closes itself and can resume with `?since=`.
public actor WebSocketHub {
    typealias Feed = any EventSink

    /// The sockets watching one lot.
    private final class Watchers {
        /// The last seq handed to the feeds; every later one is handed in order.
        var lastSeq: Int64
        var feeds: [Int: Feed] = [:]
        init(lastSeq: Int64) { self.lastSeq = lastSeq }
    }

    private let store: any AuctionStore
    private let logger: Logger
    nonisolated let metrics: ServerMetrics
    private var lots: [Int64: Watchers] = [:]
    private var nextFeedID = 0

    init(store: any AuctionStore, logger: Logger, metrics: ServerMetrics = ServerMetrics()) {
        self.store = store
        self.logger = logger
        self.metrics = metrics
    }

    /// Adds a socket to a lot. Returns its id and the seq the feed starts
    /// after: every event with a greater seq will be yielded to it, in order.
    func join(lotID: Int64, feed: Feed) async throws -> (id: Int, after: Int64) {
        let watchers: Watchers
        if let existing = lots[lotID] {
            watchers = existing
        } else {
            let latest = try await store.latestSeqs(lotIDs: [lotID])[lotID] ?? 0
            // Another join may have added the lot while this one waited.
            if let created = lots[lotID] {
                watchers = created
            } else {
                watchers = Watchers(lastSeq: latest)
                lots[lotID] = watchers
            }
        }
        nextFeedID += 1
        watchers.feeds[nextFeedID] = feed
        return (nextFeedID, watchers.lastSeq)
    }

    func leave(lotID: Int64, id: Int) {
        guard let watchers = lots[lotID] else { return }
        watchers.feeds[id] = nil
        if watchers.feeds.isEmpty { lots[lotID] = nil }
    }

    /// Number of sockets watching, for metrics and tests.
    var socketCount: Int { lots.values.reduce(0) { $0 + $1.feeds.count } }

    /// Pings every socket; one that did not answer the previous ping is closed.
    /// One timer for all sockets, rather than one per socket.
    func checkAlive() {
        for watchers in lots.values {
            for feed in watchers.feeds.values { feed.checkAlive() }
        }
    }

    /// Closes every socket (the server is shutting down); clients resume with `?since=`.
    func closeAll(code: Int, reason: String) {
        for watchers in lots.values {
            for feed in watchers.feeds.values { feed.close(code: code, reason: reason) }
        }
        lots = [:]
    }

    /// Takes an event from the broker or from this process's own commits.
    func deliver(_ event: EventRecord) async {
        guard let watchers = lots[event.lotID], event.seq > watchers.lastSeq else { return }
        if event.seq > watchers.lastSeq + 1 {
            await fill(lotID: event.lotID, brought: event.seq)
        }
        // The fill may have delivered it, or the lot may have no watchers left.
        guard let current = lots[event.lotID], event.seq == current.lastSeq + 1 else { return }
        hand(event, to: current)
    }

    /// Compares every watched lot with the log and delivers what the broker lost
    /// (the only way to learn of a lost *last* event).
    func resync() async {
        let lotIDs = Array(lots.keys)
        guard !lotIDs.isEmpty else { return }
        let latest: [Int64: Int64]
        do {
            latest = try await store.latestSeqs(lotIDs: lotIDs)
        } catch {
            logger.debug("resync skipped", metadata: ["error": "\(error)"])
            return
        }
        for (lotID, seq) in latest {
            if let watchers = lots[lotID], seq > watchers.lastSeq {
                await fill(lotID: lotID)
            }
        }
    }

    /// Reads the events after the last one handed out from the log and delivers
    /// those that are still next in line.
    private func fill(lotID: Int64, brought: Int64? = nil) async {
        let page = 1000
        while let from = lots[lotID]?.lastSeq {
            let missing: [EventRecord]
            do {
                missing = try await store.events(lotID: lotID, since: from, limit: page)
            } catch {
                logger.warning("could not read missed events", metadata: ["lot": "\(lotID)", "error": "\(error)"])
                return
            }
            for event in missing {
                guard let watchers = lots[lotID] else { return }
                if event.seq == watchers.lastSeq + 1 {
                    if event.seq != brought { metrics.eventsRecovered.increment() }
                    hand(event, to: watchers)
                }
            }
            if missing.count < page { return }
        }
    }

    private func hand(_ event: EventRecord, to watchers: Watchers) {
        watchers.lastSeq = event.seq
        for (id, feed) in watchers.feeds where !feed.offer(event) {
            watchers.feeds[id] = nil
        }
        if watchers.feeds.isEmpty { lots[event.lotID] = nil }
    }
}
