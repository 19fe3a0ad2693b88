import ArgumentParser
import Foundation
import Logging
import SQLiteBackend

/// `auction-bench`: the project's benchmark (issue 6). Starts the server on the
/// storage and broker named (or targets one by `--url`), runs the scenarios of
/// `--mode`, prints one table and writes the same figures as JSON.
@main
struct AuctionBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "auction-bench",
        abstract: "Benchmark the auction server: bids per second, latencies, event delivery, fan-out.",
        discussion: """
            Modes: hot (N bidders on one lot), lots (N bidders on K lots), fanout (S idle \
            subscribers, one bid), proxy (N bidders on one lot, half with maximums), db-limit \
            (the bid transaction straight on the database), all (every one), scale (issue 14's \
            scenarios 3-5: --scale-sockets on one node, --gateways x --gateway-sockets behind an \
            API node on Redis and on RabbitMQ, a mass reconnect of --reconnect-sockets; not part \
            of all). hot, lots and proxy also run the database limit of the same shape unless \
            --no-db-limit, so that each figure is printed beside its limit.
            """)

    enum Mode: String, CaseIterable, ExpressibleByArgument {
        case all, hot, lots, fanout, proxy, scale
        case dbLimit = "db-limit"
    }

    @Option(help: "all | hot | lots | fanout | proxy | db-limit | scale") var mode: Mode = .all
    @Option(help: "sqlite | postgres") var storage: StorageKind = .sqlite
    @Option(help: "memory | redis | amqp") var broker: BrokerKind = .memory
    @Option(name: .customLong("broker-url"), help: "The broker's URL (default: $TEST_REDIS_URL or $TEST_AMQP_URL).")
    var brokerURL: String?
    @Option(help: "memory | redis") var sessions: SessionsKind = .memory
    @Option(name: .customLong("sessions-url"), help: "The session store's URL (default: $TEST_REDIS_URL).")
    var sessionsURL: String?
    @Option(
        name: .customLong("postgres-url"),
        help: "postgres://user:password@host:port/database (default: $TEST_POSTGRES_URL, or the PG* variables).")
    var postgresURL: String?
    @Option(name: .customLong("sqlite-synchronous"), help: "full | normal") var sqliteSynchronous: SQLiteSynchronous = .full
    @Option(help: "Target a running server (http://host:port) instead of starting one; no RSS/CPU then.")
    var url: String?
    @Option(name: .customLong("server"), help: "The auction executable (default: next to this one).")
    var serverExecutable: String?
    @Option(help: "Concurrent bidders (N).") var bidders = 64
    @Option(help: "Seconds each timed run lasts (D).") var duration: Double = 10
    @Option(help: "Lots of the many-lots run (K).") var lots = 8
    @Option(help: "WebSocket subscribers per lot in the bidding runs (M).") var subscribers = 1
    @Option(name: .customLong("fanout-subscribers"), help: "Idle subscribers of the fan-out run (S).")
    var fanoutSubscribers = 10_000
    @Option(name: .customLong("connect-batch"), help: "Subscribers connecting at once.") var connectBatch = 250
    @Option(name: .customLong("fanout-wait"), help: "Seconds to wait for every subscriber to have the event.")
    var fanoutWait: Double = 30
    @Option(name: .customLong("socket-buffer-limit"), help: "The server's HUB_SOCKET_BUFFER_LIMIT.")
    var socketBufferLimit = 4096
    @Flag(name: .customLong("no-db-limit"), help: "Skip the database-limit runs of hot and lots.")
    var noDatabaseLimit = false
    @Option(help: "Where to write the figures as JSON.") var json = "bench-results.json"
    @Option(
        name: .customLong("postgres-durability"),
        help: "durable | fsync-off: how the PostgreSQL was started (printed with the figures).")
    var postgresDurability: String?
    @Option(
        name: .customLong("hot-accepted-baseline"),
        help: "Hot-lot accepted bids/s before a change: the 1.5x target's base (PostgreSQL).")
    var hotAcceptedBaseline: Double?
    @OptionGroup var scale: ScaleOptions

    func validate() throws {
        guard bidders > 0, lots > 0, subscribers >= 0, fanoutSubscribers > 0, connectBatch > 0 else {
            throw ValidationError("--bidders, --lots, --fanout-subscribers and --connect-batch must be positive")
        }
        guard duration > 0 else { throw ValidationError("--duration must be positive") }
        if let url, ServerAddress(url: url) == nil { throw ValidationError("--url must be http://host:port") }
    }

    func run() async throws {
        if mode == .scale { return try await scale.run(command: self) }
        let backends = try backendChoice()
        // Sockets of the bench and, inherited, of the server it starts.
        let fileLimit = FileLimit.raise(to: fanoutSubscribers * 2 + bidders * 4 + 4096)
        if fileLimit < fanoutSubscribers + 1024, mode == .all || mode == .fanout {
            note("the open-file limit is \(fileLimit): the fan-out run may fail to connect every subscriber")
        }
        var logger = Logger(label: "auction-bench")
        logger.logLevel = .critical
        let runDuration = Duration.milliseconds(Int64(duration * 1000))

        var report = BenchReport(
            startedAt: ISO8601DateFormatter().string(from: Date()),
            configuration: .init(
                backends: backends, build: Self.build, serverURL: url, bidders: bidders, durationSeconds: duration,
                lots: lots, subscribersPerLot: subscribers, fanoutSubscribers: fanoutSubscribers))
        if storage == .postgres { report.configuration.postgresDurability = postgresDurability ?? "unknown" }
        report.configuration.hotAcceptedBaseline = hotAcceptedBaseline
        let runs = Runner(command: self, backends: backends, duration: runDuration, logger: logger)

        if [.all, .hot, .dbLimit].contains(mode), !noDatabaseLimit || mode == .dbLimit {
            report.databaseLimitHotLot = await runs.attempt("database limit, hot lot", into: &report.failures) {
                try await runs.databaseLimit(name: "hot lot", lots: 1)
            }
        }
        if [.all, .hot].contains(mode) {
            report.hotLot = await runs.attempt("hot lot", into: &report.failures) {
                try await runs.bidding(name: "hot lot", lots: 1)
            }
        }
        if [.all, .lots, .dbLimit].contains(mode), !noDatabaseLimit || mode == .dbLimit {
            report.databaseLimitManyLots = await runs.attempt("database limit, \(lots) lots", into: &report.failures) {
                try await runs.databaseLimit(name: "\(lots) lots", lots: lots)
            }
        }
        if [.all, .lots].contains(mode) {
            report.manyLots = await runs.attempt("\(lots) lots", into: &report.failures) {
                try await runs.bidding(name: "\(lots) lots", lots: lots)
            }
        }
        if [.all, .proxy, .dbLimit].contains(mode), !noDatabaseLimit || mode == .dbLimit {
            report.databaseLimitProxyBids = await runs.attempt("database limit, proxy bids", into: &report.failures) {
                try await runs.databaseLimit(name: "proxy bids", lots: 1, worker: ProxyDatabaseLimitWorker.worker)
            }
        }
        if [.all, .proxy].contains(mode) {
            report.proxyBids = await runs.attempt("proxy bids", into: &report.failures) {
                try await runs.bidding(name: "proxy bids", lots: 1, bidder: ProxyBidderWorkload.bidder)
            }
        }
        if [.all, .fanout].contains(mode) {
            report.fanout = await runs.attempt("fan-out", into: &report.failures) { try await runs.fanout() }
        }

        report.targets = Targets.check(report)
        print(ReportTable.render(report))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: json))
        print("figures written to \(json)")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }

    static var build: String {
        #if DEBUG
            "debug"
        #else
            "release"
        #endif
    }

    /// The backends named by the flags, with URLs from the flags or the test environment.
    func backendChoice() throws -> BackendChoice {
        let env = ProcessInfo.processInfo.environment
        var postgres: PostgresTarget?
        if storage == .postgres {
            if let text = postgresURL ?? env["TEST_POSTGRES_URL"] {
                guard let target = PostgresTarget(url: text) else {
                    throw ValidationError("--postgres-url must be postgres://user:password@host:port/database")
                }
                postgres = target
            } else if let user = env["PGUSER"] {
                postgres = PostgresTarget(url: "postgres://\(user)@\(env["PGHOST"] ?? "127.0.0.1"):\(env["PGPORT"] ?? "5432")/\(env["PGDATABASE"] ?? "auction")")
                postgres?.password = env["PGPASSWORD"] ?? ""
            } else {
                throw ValidationError("--storage postgres needs --postgres-url, TEST_POSTGRES_URL or PGUSER")
            }
        }
        let brokerDefault: String? =
            switch broker {
            case .memory: nil
            case .redis: env["TEST_REDIS_URL"]
            case .amqp: env["TEST_AMQP_URL"]
            }
        let resolvedBroker = brokerURL ?? brokerDefault
        if broker != .memory, resolvedBroker == nil, url == nil {
            throw ValidationError("--broker \(broker.rawValue) needs --broker-url (or TEST_REDIS_URL / TEST_AMQP_URL)")
        }
        let resolvedSessions = sessionsURL ?? (sessions == .redis ? env["TEST_REDIS_URL"] : nil)
        if sessions == .redis, resolvedSessions == nil, url == nil {
            throw ValidationError("--sessions redis needs --sessions-url (or TEST_REDIS_URL)")
        }
        return BackendChoice(
            storage: storage, sqliteSynchronous: sqliteSynchronous, postgres: postgres, broker: broker,
            brokerURL: resolvedBroker, sessions: sessions, sessionsURL: resolvedSessions)
    }
}

func note(_ text: String) {
    FileHandle.standardError.write(Data("auction-bench: \(text)\n".utf8))
}
