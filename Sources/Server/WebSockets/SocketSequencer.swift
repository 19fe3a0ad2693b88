import AuctionCore

/// The order of one socket's events: every event after the socket's start, once,
/// in seq order. Live events arrive from the hub; what they skip (a `?since=`
/// replay, events committed between the upgrade and the join, or a gap) is read
/// from the event log, page by page, while the live ones wait. A pure state
/// machine: the socket performs the steps it returns.
struct SocketSequencer {
    /// What the socket does next.
    struct Step: Equatable {
        /// Events to write, in order.
        var send: [EventRecord] = []
        /// Read the log after this seq, then call `fetched`.
        var fetchAfter: Int64?
        /// More events waited than the socket may hold: give up on it.
        var overflow = false
    }

    /// Events read from the log at a time.
    static let page = 500

    private let start: Int64
    private let limit: Int
    /// The last seq sent; nil until the socket has joined its lot.
    private(set) var lastSent: Int64?
    /// Live events that arrived while joining or reading the log.
    private var waiting: [EventRecord] = []
    private var fetching = false
    /// The highest seq known to be in the log: the join's `after`, or an event
    /// that waits. A read of the log must reach it (or fill a page).
    private(set) var heard: Int64

    /// `start` is the seq the socket's events follow: the client's `?since=`, or
    /// the lot's last seq when the upgrade was decided (before the 101), so that
    /// an event committed once the client has its 101 is never missed. `limit`
    /// bounds the events kept waiting.
    init(start: Int64, limit: Int) {
        self.start = start
        self.limit = limit
        self.heard = start
    }

    /// The socket joined its lot: live events will follow every seq after `after`.
    /// Those between `start` and `after` (committed while the socket was joining,
    /// or the `?since=` replay) are read from the log first.
    mutating func joined(after: Int64) -> Step {
        lastSent = start
        heard = max(heard, after)
        if after > start {
            fetching = true
            return Step(fetchAfter: start)
        }
        var step = Step()
        drain(into: &step)
        return step
    }

    /// A live event from the hub.
    mutating func received(_ event: EventRecord) -> Step {
        var step = Step()
        accept(event, into: &step)
        return step
    }

    /// A page of the log read after `fetchAfter`.
    mutating func fetched(_ events: [EventRecord]) -> Step {
        var step = Step()
        guard let before = lastSent else { return step }
        var last = before
        for event in events where event.seq == last + 1 {
            step.send.append(event)
            last = event.seq
        }
        lastSent = last
        // A full page may have more after it (a page that moved nothing cannot: the log has no gaps).
        if events.count >= Self.page, last > before {
            step.fetchAfter = last
            return step
        }
        fetching = false
        drain(into: &step)
        return step
    }

    private mutating func accept(_ event: EventRecord, into step: inout Step) {
        guard let last = lastSent, !fetching else {
            hold(event, into: &step)
            return
        }
        if event.seq <= last { return }
        if event.seq == last + 1 {
            step.send.append(event)
            lastSent = event.seq
            return
        }
        // A gap: the hub passed on an event whose predecessors this socket missed.
        hold(event, into: &step)
        fetching = true
        step.fetchAfter = last
    }

    private mutating func hold(_ event: EventRecord, into step: inout Step) {
        heard = max(heard, event.seq)
        if waiting.count >= limit {
            step.overflow = true
        } else {
            waiting.append(event)
        }
    }

    /// Hands on the events that waited, now that the log has been read.
    private mutating func drain(into step: inout Step) {
        let held = waiting.sorted { $0.seq < $1.seq }
        waiting = []
        for event in held { accept(event, into: &step) }
    }
}
