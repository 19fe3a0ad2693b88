/// The figures of one run, as printed in the table and written to the JSON file.
struct BenchReport: Codable, Sendable {
    struct Configuration: Codable, Sendable {
        var backends: BackendChoice
        var build: String
        var serverURL: String?
        var bidders: Int
        var durationSeconds: Double
        var lots: Int
        var subscribersPerLot: Int
        var fanoutSubscribers: Int
        /// How the bench's PostgreSQL was started: "durable" (fsync and
        /// synchronous_commit on, as production) or "fsync-off"; nil on SQLite.
        var postgresDurability: String? = nil
        /// Hot-lot accepted bids/s measured before a change, for its 1.5x target.
        var hotAcceptedBaseline: Double? = nil
    }

    var startedAt: String
    var configuration: Configuration
    var hotLot: BidRunResult?
    var manyLots: BidRunResult?
    var fanout: FanoutResult?
    var databaseLimitHotLot: DatabaseLimitResult?
    var databaseLimitManyLots: DatabaseLimitResult?
    /// Issue 11's scenario: one lot, half of the bidders with maximums.
    var proxyBids: BidRunResult?
    var databaseLimitProxyBids: DatabaseLimitResult?
    var targets: [TargetCheck] = []
    /// Scenarios that could not run, and why.
    var failures: [String] = []
}

/// The server's resources: peak RSS over its life, CPU time during the timed part and in all.
struct ServerUsage: Codable, Sendable {
    let peakRSSMiB: Double
    let cpuSecondsTimed: Double
    let cpuSecondsTotal: Double
}

struct BidRunResult: Codable, Sendable {
    let scenario: String
    let lots: Int
    let bidders: Int
    let subscribersPerLot: Int
    let seconds: Double
    let attempted: Int
    let accepted: Int
    let errors: Int
    let firstError: String?
    let attemptedPerSecond: Double
    let acceptedPerSecond: Double
    /// Request to response, as each bidder measured it (ms).
    let bidLatency: LatencySummary
    /// Bid response to event arrival at the subscribers (ms, clamped at 0).
    let eventLatency: LatencySummary
    let eventsOvertookResponse: Int
    let missed: Int
    let duplicated: Int
    let outOfOrder: Int
    let violations: Int
    let logGaps: Int
    let acknowledgedNotLogged: Int
    let server: ServerUsage?
    var perServerCore: PerCoreRates? = nil
}

/// Bids per second of server CPU time (a core's second), from the server's
/// /proc/<pid>/stat over the timed part: machines of other sizes compare on it.
struct PerCoreRates: Codable, Sendable {
    let attempted: Double
    let accepted: Double

    init?(attempted: Int, accepted: Int, server: ServerUsage?) {
        guard let cpu = server?.cpuSecondsTimed, cpu > 0 else { return nil }
        self.attempted = Double(attempted) / cpu
        self.accepted = Double(accepted) / cpu
    }
}

struct DatabaseLimitResult: Codable, Sendable {
    let scenario: String
    let lots: Int
    let workers: Int
    let seconds: Double
    let attempted: Int
    let accepted: Int
    let errors: Int
    let firstError: String?
    let attemptedPerSecond: Double
    let acceptedPerSecond: Double
    let bidLatency: LatencySummary
    let violations: Int
}

struct FanoutResult: Codable, Sendable {
    let subscribers: Int
    let connected: Int
    let connectFailures: Int
    let firstError: String?
    let connectSeconds: Double
    /// Subscribers that had the event before the wait ended.
    let delivered: Int
    let missed: Int
    let duplicated: Int
    /// Bid response to the event's arrival at each subscriber (ms, clamped at 0).
    let latency: LatencySummary
    /// Bid sent to the event's arrival at each subscriber (ms).
    let latencyFromSent: LatencySummary
    let eventsOvertookResponse: Int
    let rssBeforeKiB: Int?
    let rssAfterKiB: Int?
    let kibPerSocket: Double?
    let server: ServerUsage?
}

/// One of the targets and whether this run met it.
struct TargetCheck: Codable, Sendable {
    let name: String
    let target: String
    let value: String
    let met: Bool
}
