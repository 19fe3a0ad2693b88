import Foundation

/// One scale run's figures (issue 14, scenarios 3-5).
struct ScaleResult: Codable, Sendable {
    let scenario: String
    let sockets: Int
    let connected: Int
    let connectFailures: Int
    let firstError: String?
    let connectSeconds: Double
    /// Sockets that had every event they should have before the wait ended.
    let delivered: Int
    let missed: Int
    let duplicated: Int
    /// From the bid's sending to the event's arrival at each socket (ms).
    let latencyFromSent: LatencySummary
    /// Server RSS growth per idle socket (the socket-serving processes', averaged).
    var kibPerSocket: Double?
    /// Mass reconnect: from SIGTERM to the last socket resumed on the second gateway (s).
    var resumeSeconds: Double?
    /// Mass reconnect: event-page reads the second gateway made, and the most allowed.
    var storeEventReads: Int?
    var allowedEventReads: Int?
    /// Mass reconnect: lot reads (one per upgrade unless coalesced in flight).
    var storeLotReads: Int?
    var server: ServerUsage?
}

/// The scale run's report: what ran, the figures, and the targets checked.
struct ScaleReport: Codable, Sendable {
    let startedAt: String
    let build: String
    var results: [ScaleResult] = []
    var targets: [TargetCheck] = []
    var failures: [String] = []
}
