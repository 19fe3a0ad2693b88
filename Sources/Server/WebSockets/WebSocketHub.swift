import AuctionCore
import Foundation
import Logging
import NIOCore

/// Hands each stream's events (a lot's, or a user's own) to the sockets watching
/// it, in seq order, without gaps or repeats: an event that arrives ahead of its
/// predecessors (a message the broker dropped, or a publish that overtook another)
/// makes the hub read the missing ones from the event log first; one already
/// delivered is ignored.
///
/// The hub never waits for a socket: each sink queues what it is handed, and a
/// socket that falls too far behind closes itself and can resume with `?since=`.
public actor WebSocketHub {
    typealias Feed = any EventSink

    /// The sockets watching one stream.
    private final class Watchers {
        /// The last seq handed to the feeds; every later one is handed in order.
        var lastSeq: Int64
        var feeds: [Int: Feed] = [:]
        init(lastSeq: Int64) { self.lastSeq = lastSeq }
    }

    private let store: any AuctionStore
    private let logger: Logger
    nonisolated let metrics: ServerMetrics
    private let sessions: SessionCheck?
    private var streams: [EventStream: Watchers] = [:]
    private var nextFeedID = 0
    /// A stream's first joins share one read of its last seq (a mass reconnect
    /// would read it once per socket: the actor admits every join while one waits).
    private let firstSeqs = Singleflight<EventStream, Int64>()

    /// `sessions` checks the sessions of user sockets (`checkSessions`).
    init(store: any AuctionStore, logger: Logger, metrics: ServerMetrics = ServerMetrics(), sessions: SessionCheck? = nil) {
        self.store = store
        self.sessions = sessions
        self.logger = logger
        self.metrics = metrics
    }

    /// Adds a socket to a stream. Returns its id and the seq the feed starts
    /// after: every event with a greater seq will be yielded to it, in order.
    func join(stream: EventStream, feed: Feed) async throws -> (id: Int, after: Int64) {
        let watchers: Watchers
        if let existing = streams[stream] {
            watchers = existing
        } else {
            let latest = try await firstSeqs.value(for: stream) { [store] in
                try await store.latestSeqs(streams: [stream])[stream] ?? 0
            }
            // Another join may have added the stream while this one waited.
            if let created = streams[stream] {
                watchers = created
            } else {
                watchers = Watchers(lastSeq: latest)
                streams[stream] = watchers
            }
        }
        nextFeedID += 1
        watchers.feeds[nextFeedID] = feed
        return (nextFeedID, watchers.lastSeq)
    }

    func leave(stream: EventStream, id: Int) {
        guard let watchers = streams[stream] else { return }
        watchers.feeds[id] = nil
        if watchers.feeds.isEmpty { streams[stream] = nil }
    }

    /// Number of sockets watching, for metrics and tests.
    var socketCount: Int { streams.values.reduce(0) { $0 + $1.feeds.count } }

    /// Pings every socket; one that did not answer the previous ping is closed.
    /// One timer for all sockets, rather than one per socket.
    func checkAlive() {
        for watchers in streams.values {
            for feed in watchers.feeds.values { feed.checkAlive() }
        }
    }

    /// Closes every socket (the server is shutting down); clients resume with `?since=`.
    func closeAll(code: Int, reason: String) {
        for watchers in streams.values {
            for feed in watchers.feeds.values { feed.close(code: code, reason: reason) }
        }
        streams = [:]
    }

    /// Takes an event from the broker or from this process's own commits.
    func deliver(_ event: EventRecord) async {
        guard let watchers = streams[event.stream], event.seq > watchers.lastSeq else { return }
        if event.seq > watchers.lastSeq + 1 {
            await fill(event.stream, brought: event.seq)
        }
        // The fill may have delivered it, or the stream may have no watchers left.
        guard let current = streams[event.stream], event.seq == current.lastSeq + 1 else { return }
        hand(event, to: current)
    }

    /// Compares every watched stream with the log and delivers what the broker
    /// lost (the only way to learn of a lost *last* event).
    func resync() async {
        let watched = Array(streams.keys)
        guard !watched.isEmpty else { return }
        let latest: [EventStream: Int64]
        do {
            latest = try await store.latestSeqs(streams: watched)
        } catch {
            logger.debug("resync skipped", metadata: ["error": "\(error)"])
            return
        }
        for (stream, seq) in latest {
            if let watchers = streams[stream], seq > watchers.lastSeq {
                await fill(stream)
            }
        }
    }

    /// Closes with 4401 every user socket whose session has ended (a logout on
    /// any node) or whose token has expired. While the session store cannot be
    /// reached, `SessionCheck` keeps the sessions it saw live.
    func checkSessions(now: Date = Date()) async {
        guard let sessions else { return }
        var verdicts: [String: Bool] = [:]
        for (stream, watchers) in streams {
            guard case .user = stream else { continue }
            for (id, feed) in watchers.feeds {
                guard let session = feed.session else { continue }
                let live: Bool
                if session.expiresAt <= now {
                    live = false
                } else if let known = verdicts[session.id] {
                    live = known
                } else {
                    live = (try? await sessions.isActive(id: session.id, expiresAt: session.expiresAt)) ?? true
                    verdicts[session.id] = live
                }
                if !live {
                    feed.close(code: 4401, reason: "the session has ended")
                    streams[stream]?.feeds[id] = nil
                }
            }
            if streams[stream]?.feeds.isEmpty == true { streams[stream] = nil }
        }
    }

    /// Reads the events after the last one handed out from the log and delivers
    /// those that are still next in line.
    private func fill(_ stream: EventStream, brought: Int64? = nil) async {
        let page = 1000
        while let from = streams[stream]?.lastSeq {
            let missing: [EventRecord]
            do {
                missing = try await store.events(in: stream, since: from, limit: page)
            } catch {
                logger.warning("could not read missed events", metadata: ["stream": "\(stream)", "error": "\(error)"])
                return
            }
            for event in missing {
                guard let watchers = streams[stream] else { return }
                if event.seq == watchers.lastSeq + 1 {
                    if event.seq != brought { metrics.eventsRecovered.increment() }
                    hand(event, to: watchers)
                }
            }
            if missing.count < page { return }
        }
    }

    /// Hands the event to every feed. The frame is encoded once and shared by
    /// every socket (a ByteBuffer is copied on write only), and a loop's sockets
    /// get it in one hop to that loop rather than one hop per socket: with
    /// 100,000 sockets that is 2 tasks queued on a 2-core machine, not 100,000.
    private func hand(_ event: EventRecord, to watchers: Watchers) {
        watchers.lastSeq = event.seq
        let frame = ByteBuffer(string: event.json)
        var batches: [ObjectIdentifier: LoopBatch] = [:]
        for (id, feed) in watchers.feeds {
            // A class cast (cheap), not a protocol one, on the path taken per socket.
            if let socket = feed as? LotSocket {
                guard socket.isOpen else {
                    watchers.feeds[id] = nil
                    continue
                }
                batches[ObjectIdentifier(socket.eventLoop), default: LoopBatch(loop: socket.eventLoop)].sockets
                    .append(socket)
            } else if !feed.offer(event) {
                watchers.feeds[id] = nil
            }
        }
        for batch in batches.values {
            batch.loop.execute { [sockets = batch.sockets] in
                for socket in sockets { socket.receiveOnLoop(event, frame: frame) }
            }
        }
        if watchers.feeds.isEmpty { streams[event.stream] = nil }
    }

    /// The sockets of one event loop that an event goes to.
    private struct LoopBatch {
        let loop: any EventLoop
        var sockets: [LotSocket] = []
    }
}
