import ArgumentParser
import Foundation

/// `--mode scale`: issue 14's scenarios 3-5, each printed with its targets.
struct ScaleOptions: ParsableArguments {
    @Option(name: .customLong("scale-sockets"), help: "Scenario 3: idle sockets on one node.")
    var sockets = 100_000
    @Option(help: "Scenario 4: gateway processes.") var gateways = 3
    @Option(name: .customLong("gateway-sockets"), help: "Scenario 4: sockets on each gateway.")
    var gatewaySockets = 40_000
    @Option(name: .customLong("reconnect-sockets"), help: "Scenario 5: sockets that move to another gateway.")
    var reconnectSockets = 20_000
    @Option(help: "The scale scenarios to run (3, 4, 5), comma-separated.") var scenarios = "3,4,5"
    @Option(name: .customLong("redis-url"), help: "Redis for the cluster runs (default: $TEST_REDIS_URL).")
    var redisURL: String?
    @Option(name: .customLong("amqp-url"), help: "RabbitMQ for the cluster runs (default: $TEST_AMQP_URL).")
    var amqpURL: String?
    @Option(name: .customLong("scale-wait"), help: "Seconds to wait for every socket to have the event.")
    var wait: Double = 60
    @Option(name: .customLong("sockets-per-address"), help: "Sockets per loopback source address (default: 4/5 of the ephemeral ports).")
    var perAddress: Int?

    func run(command: AuctionBench) async throws {
        let chosen = Set(scenarios.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) })
        let most = max(sockets, gateways * gatewaySockets, 2 * reconnectSockets)
        // The bench's sockets and, inherited, the servers': one descriptor per socket on each side.
        let limit = FileLimit.raise(to: 2 * most + 65_536)
        if limit < most + 4096 { note("the open-file limit is \(limit): the scale runs may fail to connect every socket") }
        let env = ProcessInfo.processInfo.environment
        let runs = ScaleRuns(
            executable: command.serverExecutable.map { URL(fileURLWithPath: $0) } ?? ServerProcess.defaultExecutable(),
            addresses: perAddress.map(SourceAddresses.init(perAddress:)) ?? .system(), batch: command.connectBatch,
            wait: .milliseconds(Int64(wait * 1000)))
        var report = ScaleReport(startedAt: ISO8601DateFormatter().string(from: Date()), build: AuctionBench.build)
        func attempt(_ name: String, connectWithin: Double?, p99: Double?, _ body: () async throws -> ScaleResult) async {
            note("running: \(name)")
            do {
                let result = try await body()
                report.results.append(result)
                report.targets += ScaleTargets.check(result, connectWithin: connectWithin, p99Within: p99)
            } catch {
                note("\(name) failed: \(error)")
                report.failures.append("\(name): \(error)")
            }
        }
        if chosen.contains(3) {
            let single = try command.backendChoice()
            await attempt("one node, \(sockets) sockets", connectWithin: 60, p99: 1) {
                try await runs.oneNode(sockets: sockets, backends: single)
            }
        }
        let brokers: [(BrokerKind, String?)] = [
            (.redis, redisURL ?? env["TEST_REDIS_URL"]), (.amqp, amqpURL ?? env["TEST_AMQP_URL"]),
        ]
        if chosen.contains(4) {
            for (broker, url) in brokers {
                guard let cluster = clusterBackends(command, broker: broker, url: url, into: &report) else { continue }
                await attempt("\(gateways) gateways on \(broker.rawValue)", connectWithin: nil, p99: 1.5) {
                    try await runs.cluster(gateways: gateways, socketsEach: gatewaySockets, backends: cluster)
                }
            }
        }
        if chosen.contains(5), let (broker, url) = brokers.first(where: { $0.1 != nil }),
           let cluster = clusterBackends(command, broker: broker, url: url, into: &report)
        {
            await attempt("mass reconnect on \(broker.rawValue)", connectWithin: nil, p99: nil) {
                try await runs.reconnect(sockets: reconnectSockets, backends: cluster)
            }
        }
        print(ScaleTable.render(report))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: URL(fileURLWithPath: command.json))
        print("figures written to \(command.json)")
        if !report.failures.isEmpty { throw ExitCode.failure }
    }

    /// PostgreSQL (every node shares it) and the broker named, or nil with the reason noted.
    private func clusterBackends(
        _ command: AuctionBench, broker: BrokerKind, url: String?, into report: inout ScaleReport
    ) -> BackendChoice? {
        var postgresCommand = command
        postgresCommand.storage = .postgres
        guard let url, var backends = try? postgresCommand.backendChoice() else {
            report.failures.append("cluster on \(broker.rawValue): needs PostgreSQL and the broker's URL")
            return nil
        }
        backends.broker = broker
        backends.brokerURL = url
        return backends
    }
}
