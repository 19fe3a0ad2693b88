import AuctionCore

/// The order of one socket's events: every event after the socket's start, once,
/// in seq order. Live events arrive from the hub; what they skip (a `?since=`
/// replay, or a gap) is read from the event log, page by page, while the live
/// ones wait. A pure state machine: the socket performs the steps it returns.
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

    private let since: Int64?
    private let limit: Int
    /// The last seq sent; nil until the socket has joined its lot.
    private(set) var lastSent: Int64?
    /// Live events that arrived while joining or reading the log.
    private var waiting: [EventRecord] = []
    private var fetching = false

    /// `since` is the client's `?since=`; `limit` bounds the events kept waiting.
    init(since: Int64?, limit: Int) {
        self.since = since
        self.limit = limit
    }

    /// The socket joined its lot: live events will follow every seq after `after`.
    mutating func joined(after: Int64) -> Step {
        if let since {
            lastSent = since
            fetching = true
            return Step(fetchAfter: since)
        }
        lastSent = after
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
