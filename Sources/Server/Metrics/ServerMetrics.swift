import AuctionCore
import Prometheus
import Synchronization

/// Every metric the server exports, with its Prometheus name: the one place for
/// the names. One per application (tests run many servers in one process and
/// each sees only its own figures). Counters and gauges are atomics; only the
/// histograms take a short lock.
public final class ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// WebSocket connections to lots open now.
    let socketsOpen: Gauge
    /// Events written to sockets (live and replayed).
    let socketEventsDelivered: Counter
    /// Sockets closed with 1013 for falling too far behind.
    let socketsClosedSlow: Counter
    /// Events the hub read from the log because the broker had not brought them.
    let eventsRecovered: Counter
    /// The broker's subscription connected again after losing its connection.
    let brokerReconnects: Counter
    let bidsAccepted: Counter
    private let bidsRefused: [String: Counter]
    private let storeCalls: [String: DurationHistogram]
    /// The HTTP metrics of each method, route and status seen, made once: asking the
    /// registry on every request built their names and took its lock (2% of the
    /// server's CPU on a hot lot). Bounded: routes are patterns, and NIO answers an
    /// unknown method 400 before a route sees it.
    private let httpMetrics = Mutex<[HTTPRequestKey: HTTPRequestMetrics]>([:])

    static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .milliseconds(2500), .seconds(5), .seconds(10),
    ]

    /// The reasons of `auction_bids_refused_total`.
    static let refusalReasons = ["lot_finished", "too_low", "already_bid", "no_bid_yet", "own_lot", "unknown_lot", "unavailable", "other"]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func counter(_ name: String, _ help: String, _ labels: [(String, String)] = []) -> Counter {
            registry.makeCounter(descriptor: .init(metricName: name, unitName: "total", helpText: help), labels: labels)
        }
        socketsOpen = registry.makeGauge(
            descriptor: .init(metricName: "auction_sockets_open", unitName: "", helpText: "Lot WebSockets open now"))
        socketEventsDelivered = counter("auction_socket_events_delivered", "Events written to lot WebSockets")
        socketsClosedSlow = counter("auction_sockets_closed_slow", "Lot WebSockets closed (1013) for falling too far behind")
        eventsRecovered = counter("auction_events_recovered", "Events read from the log that the broker had not brought")
        brokerReconnects = counter("auction_broker_reconnects", "Reconnections of the event broker's subscription")
        bidsAccepted = counter("auction_bids_accepted", "Bids the store accepted")
        var refused: [String: Counter] = [:]
        for reason in Self.refusalReasons {
            refused[reason] = counter("auction_bids_refused", "Bids the store refused, by reason", [("reason", reason)])
        }
        bidsRefused = refused
        var calls: [String: DurationHistogram] = [:]
        for operation in MeteredStore.operations {
            calls[operation] = registry.makeDurationHistogram(
                descriptor: .init(metricName: "auction_store_call_duration", unitName: "seconds", helpText: "Store calls, by operation"),
                labels: [("operation", operation)], buckets: Self.durationBuckets)
        }
        storeCalls = calls
    }

    func bidRefused(_ error: any Error) {
        let reason: String
        switch error as? AuctionError {
        case .lotFinished: reason = "lot_finished"
        case .bidTooLow: reason = "too_low"
        case .alreadyBid: reason = "already_bid"
        case .noBidYet: reason = "no_bid_yet"
        case .ownLot: reason = "own_lot"
        case .lotNotFound: reason = "unknown_lot"
        case .unavailable: reason = "unavailable"
        default: reason = "other"
        }
        bidsRefused[reason]?.increment()
    }

    func storeCall(_ operation: String, took duration: Duration) {
        storeCalls[operation]?.record(duration)
    }

    /// `http_requests_total` and `http_request_duration_seconds` of one answered request;
    /// `route` is the route's pattern (`/lots/{lot_id}`), never the raw path.
    func httpRequest(method: String, route: String, status: Int, duration: Duration) {
        let key = HTTPRequestKey(method: method, route: route, status: status)
        let metrics = httpMetrics.withLock { cache in
            if let metrics = cache[key] { return metrics }
            let made = HTTPRequestMetrics(
                requests: registry.makeCounter(
                    descriptor: .init(
                        metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered, by route and status"),
                    labels: [("method", method), ("route", route), ("status", String(status))]),
                duration: registry.makeDurationHistogram(
                    descriptor: .init(
                        metricName: "http_request_duration", unitName: "seconds", helpText: "HTTP request durations, by route"),
                    labels: [("method", method), ("route", route)], buckets: Self.durationBuckets))
            cache[key] = made
            return made
        }
        metrics.requests.increment()
        metrics.duration.record(duration)
    }

    /// The registry's text followed by the process figures read from /proc.
    func exposition() -> [UInt8] {
        var buffer = registry.emitToBuffer()
        buffer.append(contentsOf: ProcessFigures.read().exposition.utf8)
        return buffer
    }
}

private struct HTTPRequestKey: Hashable {
    let method: String
    let route: String
    let status: Int
}

private struct HTTPRequestMetrics: Sendable {
    let requests: Counter
    let duration: DurationHistogram
}
