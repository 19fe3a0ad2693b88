import Logging

/// A few Redis connections for request/response commands. Each connection
/// lives on its own thread (`RedisWorker`), opened on first use; one that
/// fails is dropped and opened again by the next command. Every command is
/// bounded: by the connect timeout, the command timeout, and a queueing
/// deadline, so a dead server makes callers fail fast instead of hanging.
public final class RedisConnectionPool: Sendable {
    public let configuration: RedisConfiguration
    private let workers: [RedisWorker]
    private let logger: Logger

    public init(configuration: RedisConfiguration, size: Int = 4, logger: Logger = Logger(label: "RedisClient")) {
        precondition(size > 0, "a pool needs at least one connection")
        self.configuration = configuration
        self.logger = logger
        self.workers = (0..<size).map { RedisWorker(name: "redis-pool-\($0)") }
    }

    deinit {
        for worker in workers { worker.stop() }
    }

    /// Closes the connections and ends their threads; later commands throw `RedisError.shutDown`.
    public func shutdown() {
        for worker in workers { worker.stop() }
    }

    /// Sends one command (`["SET", key, value]`) and returns the reply. A refusal
    /// by the server is a `.error` value; failing to reach it throws `RedisError`.
    ///
    /// A command that fails because the server had closed an idle connection
    /// (a restart) is sent once more on a new connection, so commands should be
    /// safe to repeat (all of this project's are).
    public func command(_ arguments: [String]) async throws(RedisError) -> RedisValue {
        let worker = workers.min { $0.load < $1.load }!
        let configuration = self.configuration
        let logger = self.logger
        let deadline = ContinuousClock.now + configuration.connectTimeout + configuration.commandTimeout
        return try await worker.perform(deadline: deadline) { connection throws(RedisError) in
            try Self.execute(arguments, on: &connection, configuration: configuration, logger: logger)
        }
    }

    public func command(_ arguments: String...) async throws(RedisError) -> RedisValue {
        try await command(arguments)
    }

    private static func execute(
        _ arguments: [String], on slot: inout RedisConnection?, configuration: RedisConfiguration, logger: Logger
    ) throws(RedisError) -> RedisValue {
        var retried = false
        while true {
            let reused = slot != nil
            let connection: RedisConnection
            if let open = slot {
                connection = open
            } else {
                connection = try RedisConnection(configuration: configuration)
                slot = connection
            }
            do {
                return try connection.command(arguments)
            } catch {
                slot = nil  // a failed hiredis context is not usable again
                if reused && connection.closedByPeer && !retried {
                    logger.debug("Redis closed an idle connection; retrying on a new one")
                    retried = true
                    continue
                }
                throw error
            }
        }
    }
}
