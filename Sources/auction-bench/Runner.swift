import Foundation
import Logging

/// Runs each scenario on a server of its own (fresh database, fresh memory
/// figures) or on the one given by `--url`, and stops it after.
struct Runner: Sendable {
    let bidders: Int
    let subscribers: Int
    let fanoutSubscribers: Int
    let connectBatch: Int
    let fanoutWait: Duration
    let socketBufferLimit: Int
    let serverURL: String?
    let executable: URL
    let backends: BackendChoice
    let duration: Duration
    let logger: Logger

    init(command: AuctionBench, backends: BackendChoice, duration: Duration, logger: Logger) {
        bidders = command.bidders
        subscribers = command.subscribers
        fanoutSubscribers = command.fanoutSubscribers
        connectBatch = command.connectBatch
        fanoutWait = .milliseconds(Int64(command.fanoutWait * 1000))
        socketBufferLimit = command.socketBufferLimit
        serverURL = command.url
        executable = command.serverExecutable.map { URL(fileURLWithPath: $0) } ?? ServerProcess.defaultExecutable()
        self.backends = backends
        self.duration = duration
        self.logger = logger
    }

    /// Runs one scenario; a failure is noted in the report and the next scenario runs.
    func attempt<T: Sendable>(
        _ name: String, into failures: inout [String], _ body: () async throws -> T
    ) async -> T? {
        note("running: \(name)")
        do {
            return try await body()
        } catch {
            note("\(name) failed: \(error)")
            failures.append("\(name): \(error)")
            return nil
        }
    }

    func bidding(
        name: String, lots: Int, bidder: @escaping BidderWorkload.Bidder = BidderWorkload.fixedIncrement
    ) async throws -> BidRunResult {
        let plan = BidRunPlan(
            name: name, lots: lots, bidders: bidders, subscribersPerLot: subscribers, duration: duration,
            bidder: bidder)
        return try await withServer { try await BidRun.run(plan, server: $0, logger: logger) }
    }

    func fanout() async throws -> FanoutResult {
        try await withServer {
            try await FanoutWorkload.run(
                subscribers: fanoutSubscribers, batch: connectBatch, server: $0, wait: fanoutWait, logger: logger)
        }
    }

    func databaseLimit(
        name: String, lots: Int, worker: @escaping DatabaseLimitWorkload.Worker = DatabaseLimitWorkload.fixedIncrement
    ) async throws -> DatabaseLimitResult {
        try await DatabaseLimitWorkload.run(
            name: "database limit, \(name)", lots: lots, workers: bidders, duration: duration, backends: backends,
            logger: logger, worker: worker)
    }

    private func withServer<T: Sendable>(_ body: (ServerTarget) async throws -> T) async throws -> T {
        let server: ServerTarget
        if let serverURL, let address = ServerAddress(url: serverURL) {
            server = .external(address)
        } else {
            server = try await ServerTarget.launch(
                executable: executable, backends: backends, socketBufferLimit: socketBufferLimit)
        }
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            let errors = server.process?.errors() ?? ""
            await server.stop()
            if errors.isEmpty { throw error }
            throw ServerProcess.Failure(description: "\(error); server stderr: \(errors)")
        }
    }
}
