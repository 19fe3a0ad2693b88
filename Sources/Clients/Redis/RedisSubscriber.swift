import AuctionSupport
import Dispatch
import Foundation
import Logging
import Synchronization

/// One connection doing PSUBSCRIBE on a few patterns, on a thread of its own.
///
/// Messages go to `onMessage` on that thread, in the order Redis sent them
/// (keep the handler short: it holds up the next message). When the connection
/// is lost the thread reconnects with backoff (with jitter) and subscribes again;
/// `events()` tells when, since messages published meanwhile are gone. While
/// idle it sends PING now and then, so a connection that silently died (a
/// network partition) is noticed too.
public final class RedisSubscriber: Sendable {
    public let configuration: RedisConfiguration
    public let patterns: [String]
    private let settings: Settings
    private let logger: Logger
    private let onMessage: @Sendable (RedisMessage) -> Void

    private let stopRequested = Atomic<Bool>(false)
    /// Cuts the backoff sleep short when `stop()` is called.
    private let wakeUp = DispatchSemaphore(value: 0)
    private let state = Mutex(State())
    private let observers = Broadcast<RedisSubscriptionEvent>()

    private struct Settings {
        var reconnectDelay: Duration
        var maximumReconnectDelay: Duration
        var healthCheckInterval: Duration
        /// How often the thread looks at the stop flag while waiting for data.
        var pollInterval: Duration = .milliseconds(100)
    }

    private enum Phase { case idle, running, finished }

    private struct State {
        var phase = Phase.idle
        var subscribed = false
        var generation = 0
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    /// - Parameters:
    ///   - reconnectDelay: the first wait after a lost connection (see `Backoff`),
    ///     doubled after each failed attempt up to `maximumReconnectDelay`.
    ///   - healthCheckInterval: after this long without traffic, a PING is sent;
    ///     no answer within the command timeout counts as a lost connection.
    public init(
        configuration: RedisConfiguration, patterns: [String], reconnectDelay: Duration = .milliseconds(100),
        maximumReconnectDelay: Duration = .seconds(2), healthCheckInterval: Duration = .seconds(5),
        logger: Logger = Logger(label: "RedisClient"), onMessage: @escaping @Sendable (RedisMessage) -> Void
    ) {
        precondition(!patterns.isEmpty, "subscribe to at least one pattern")
        self.configuration = configuration
        self.patterns = patterns
        self.settings = Settings(
            reconnectDelay: reconnectDelay, maximumReconnectDelay: maximumReconnectDelay,
            healthCheckInterval: healthCheckInterval)
        self.logger = logger
        self.onMessage = onMessage
    }

    // MARK: Status

    /// True while subscribed: messages published from now on arrive.
    package var isSubscribed: Bool { state.withLock { $0.subscribed } }

    /// The connection events from now on; the stream ends when the subscriber stops.
    public func events() -> AsyncStream<RedisSubscriptionEvent> {
        observers.subscribe()
    }

    /// Waits until subscribed; false when `timeout` passes first.
    package func waitUntilSubscribed(timeout: Duration) async -> Bool {
        await waitUntil(timeout: timeout) { isSubscribed }
    }

    // MARK: Running

    /// Starts the subscriber thread and returns once the calling task is
    /// cancelled (or `stop()` is called) and the thread has ended. A subscriber
    /// runs once: calling this again only waits for that run to end.
    public func run() async {
        let started = state.withLock { state -> Bool in
            guard state.phase == .idle else { return false }
            if stopRequested.load(ordering: .acquiring) {
                state.phase = .finished
                return false
            }
            state.phase = .running
            return true
        }
        if started {
            let thread = Thread { [self] in loop() }
            thread.name = "redis-subscriber"
            thread.start()
        }
        await withTaskCancellationHandler {
            await waitForExit()
        } onCancel: {
            stop()
        }
    }

    /// Asks the thread to end; it does within about 100 ms (a poll interval),
    /// or once a connection attempt in progress gives up (the connect timeout).
    public func stop() {
        stopRequested.store(true, ordering: .releasing)
        wakeUp.signal()
    }

    private var shouldStop: Bool { stopRequested.load(ordering: .acquiring) }

    private func waitForExit() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ended = state.withLock { state -> Bool in
                guard state.phase == .running else { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if ended { continuation.resume() }
        }
    }

    // MARK: The thread

    private func loop() {
        var backoff = Backoff(initial: settings.reconnectDelay, maximum: settings.maximumReconnectDelay)
        while !shouldStop {
            let reason: RedisError
            do throws(RedisError) {
                let connection = try RedisConnection(configuration: configuration)
                try subscribe(on: connection)
                backoff.reset()
                report(.subscribed(generation: 0))
                try receive(on: connection)
                break  // asked to stop
            } catch {
                reason = error
            }
            if shouldStop { break }
            if isSubscribed {
                logger.warning("Redis subscription lost; reconnecting", metadata: ["reason": "\(reason)"])
                report(.disconnected(reason: reason.description))
            } else {
                logger.debug("Redis subscriber cannot connect yet", metadata: ["reason": "\(reason)"])
            }
            _ = wakeUp.wait(timeout: .now(plus: backoff.next()))
        }
        finish()
    }

    /// Sends PSUBSCRIBE and waits (bounded) until Redis confirmed every pattern.
    private func subscribe(on connection: RedisConnection) throws(RedisError) {
        try connection.send(["PSUBSCRIBE"] + patterns)
        let deadline = ContinuousClock.now + configuration.commandTimeout
        var confirmed = 0
        while confirmed < patterns.count {
            if shouldStop { throw .shutDown }
            guard ContinuousClock.now < deadline else { throw .timedOut }
            guard let reply = try connection.nextReply(waitingAtMost: settings.pollInterval) else { continue }
            switch reply {
            case .array(let items) where items.first?.text == "psubscribe":
                confirmed += 1
            case .error(let message):
                throw .connectionFailed("PSUBSCRIBE refused: \(message)")
            default:
                deliver(reply)
            }
        }
    }

    /// Reads messages until asked to stop (returns) or the connection fails (throws).
    private func receive(on connection: RedisConnection) throws(RedisError) {
        var lastTraffic = ContinuousClock.now
        var pinged = false
        while !shouldStop {
            if let reply = try connection.nextReply(waitingAtMost: settings.pollInterval) {
                lastTraffic = .now
                pinged = false
                deliver(reply)
                continue
            }
            let idle = ContinuousClock.now - lastTraffic
            if !pinged, idle >= settings.healthCheckInterval {
                // PING is allowed in subscribed mode; the answer is ["pong", ""].
                try connection.send(["PING"])
                pinged = true
            } else if pinged, idle >= settings.healthCheckInterval + configuration.commandTimeout {
                throw .connectionLost("no answer to PING within \(configuration.commandTimeout)")
            }
        }
    }

    private func deliver(_ reply: RedisValue) {
        guard case .array(let items) = reply, items.count == 4, items[0].text == "pmessage",
              let pattern = items[1].text, let channel = items[2].text, let payload = items[3].text
        else { return }  // pong, confirmations
        onMessage(RedisMessage(pattern: pattern, channel: channel, payload: payload))
    }

    private func report(_ event: RedisSubscriptionEvent) {
        let numbered = state.withLock { state in
            var event = event
            switch event {
            case .subscribed:
                state.generation += 1
                state.subscribed = true
                event = .subscribed(generation: state.generation)
            case .disconnected:
                state.subscribed = false
            }
            return event
        }
        if case .subscribed(let generation) = numbered {
            logger.info("Redis subscription active", metadata: ["generation": "\(generation)"])
        }
        observers.yield(numbered)
    }

    private func finish() {
        let waiters = state.withLock { state in
            state.phase = .finished
            state.subscribed = false
            defer { state.exitWaiters.removeAll() }
            return state.exitWaiters
        }
        observers.finish()
        for waiter in waiters { waiter.resume() }
    }
}
