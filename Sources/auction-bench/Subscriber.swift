import HummingbirdWSClient
import Logging
import Synchronization

/// A WebSocket watching one lot (`/ws/lots/{id}`), which stamps every message on
/// arrival and keeps it for the audit. Parsing waits until the run is over, so
/// the subscribers take little of the CPU that the server shares with them.
struct Subscriber: WatchingSocket {
    let lotID: Int64
    /// The lot's last event number when the socket joined: it should get every later one.
    let startSeq: Int64
    let log: SubscriberLog
    private let task: Task<Void, Never>

    /// Connects and returns once the server has added the socket to the lot: the
    /// socket sends `ping` and waits for `pong`, which the server answers only
    /// after joining, so no event committed from then on can pass it by.
    static func connect(url: String, lotID: Int64, startSeq: Int64, logger: Logger) async throws -> Subscriber {
        let log = SubscriberLog()
        let ready = ReadySignal()
        let task = Task {
            do {
                try await WebSocketClient.connect(
                    url: url, configuration: .init(maxFrameSize: 1 << 16), logger: logger
                ) { inbound, outbound, _ in
                    try await outbound.write(.text("ping"))
                    try await withTaskCancellationHandler {
                        for try await message in inbound.messages(maxSize: 1 << 16) {
                            let now = MonotonicClock.nanoseconds()
                            guard case .text(let text) = message else { continue }
                            if text == "pong" {
                                ready.finish(.success(()))
                            } else {
                                log.append(SubscriberLog.Arrival(nanoseconds: now, text: text))
                            }
                        }
                    } onCancel: {
                        Task { try? await outbound.close(.normalClosure, reason: "bench done") }
                    }
                }
                ready.finish(.failure(SubscriberError.closedBeforeJoining))
            } catch {
                ready.finish(.failure(error))
            }
        }
        do {
            try await ready.wait()
        } catch {
            task.cancel()
            throw error
        }
        return Subscriber(lotID: lotID, startSeq: startSeq, log: log, task: task)
    }

    private init(lotID: Int64, startSeq: Int64, log: SubscriberLog, task: Task<Void, Never>) {
        self.lotID = lotID
        self.startSeq = startSeq
        self.log = log
        self.task = task
    }

    /// Closes the socket and waits until it is closed.
    func close() async {
        task.cancel()
        await task.value
    }
}

enum SubscriberError: Error, CustomStringConvertible {
    case closedBeforeJoining

    var description: String { "the server closed the WebSocket before it joined the lot" }
}

/// The messages one subscriber received, with their arrival times.
final class SubscriberLog: Sendable {
    struct Arrival: Sendable {
        let nanoseconds: UInt64
        let text: String
    }

    private let arrivals = Mutex<[Arrival]>([])

    func append(_ arrival: Arrival) {
        arrivals.withLock { $0.append(arrival) }
    }

    var all: [Arrival] { arrivals.withLock { $0 } }
    var count: Int { arrivals.withLock { $0.count } }
}

/// A one-time outcome that one task waits for and another sets (in either order).
final class ReadySignal: Sendable {
    private enum State {
        case pending(CheckedContinuation<Void, any Error>?)
        case done(Result<Void, any Error>)
    }

    private let state = Mutex<State>(.pending(nil))

    func finish(_ result: Result<Void, any Error>) {
        let waiter: CheckedContinuation<Void, any Error>? = state.withLock { state in
            guard case .pending(let waiter) = state else { return nil }
            state = .done(result)
            return waiter
        }
        waiter?.resume(with: result)
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let result: Result<Void, any Error>? = state.withLock { state in
                switch state {
                case .pending:
                    state = .pending(continuation)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result { continuation.resume(with: result) }
        }
    }
}
