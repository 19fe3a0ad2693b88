import AuctionCore
import AuctionSupport
import Foundation
import Logging
import ServiceLifecycle

/// Sends every lot event of the chosen types to the Telegram chat, following the
/// event log from the cursors kept in the store (never from the bid path, which
/// does not wait for it). Every node runs it; the one holding the store's lease
/// sends, in seq order per lot.
///
/// A cursor moves only after Telegram accepted the message (or refused it for
/// good), so nothing is lost; a crash or a lost lease between the send and the
/// cursor's write sends that one message again (at least once: unavoidable, as
/// Telegram has no idempotency key).
struct TelegramNotifier: Service {
    /// The waits of the loop; tests make them short.
    struct Timing: Sendable {
        /// How often the log is checked for new events (and a free lease).
        var pollInterval: Duration = .seconds(1)
        /// How long a lease lasts unless renewed; renewed before every send.
        var lease: Duration = .seconds(30)
        /// Bounds one request to Telegram.
        var requestTimeout: Duration = .seconds(10)
        /// Between attempts after a 5xx, a timeout or no connection.
        var retryInitial: Duration = .seconds(1)
        var retryMaximum: Duration = .seconds(60)
    }

    /// The notifier's name in the store: its lease and cursors.
    static let name = "telegram"
    /// Lots, and events of one lot, read per query.
    static let batch = 100

    let store: any AuctionStore
    let cursors: any NotifierStore
    let client: TelegramClient
    let events: Set<String>
    let timing: Timing
    /// This node in the lease (unique per process).
    let holder: String
    let logger: Logger
    /// Opened once the schema is ready; nil when it is (tests).
    let gate: StartupGate?

    init(
        store: any AuctionStore, cursors: any NotifierStore, settings: TelegramSettings, timing: Timing = Timing(),
        holder: String = UUID().uuidString, logger: Logger, gate: StartupGate? = nil
    ) {
        self.store = store
        self.cursors = cursors
        self.client = TelegramClient(settings: settings, timeout: timing.requestTimeout)
        self.events = settings.events
        self.timing = timing
        self.holder = holder
        self.logger = logger
        self.gate = gate
    }

    /// The store cannot keep a notifier's lease and cursors.
    struct StoreUnsupported: Error, CustomStringConvertible {
        var description: String { "telegram: the configured store keeps no notifier cursors" }
    }

    /// The lease was taken over: stop sending until it is ours again.
    private struct LeaseLost: Error {}

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await gate?.wait()
            var sending = false
            while !Task.isCancelled {
                do {
                    let holds = try await holdLease()
                    if holds != sending {
                        sending = holds
                        logger.notice(holds ? "telegram: this node sends" : "telegram: another node sends")
                    }
                    if holds { try await sendBacklog() }
                } catch is LeaseLost {
                    sending = false
                    logger.notice("telegram: another node sends")
                } catch {
                    if Task.isCancelled { break }
                    logger.warning("telegram: could not read the event log", metadata: ["error": "\(client.redacted("\(error)"))"])
                }
                try? await Task.sleep(for: timing.pollInterval)
            }
        }
        // Given back for another node to take at once; a task of its own, as this one is cancelled.
        let (cursors, holder) = (self.cursors, self.holder)
        await Task { try? await cursors.releaseNotifierLease(Self.name, holder: holder) }.value
    }

    private func holdLease() async throws -> Bool {
        let now = Date()
        return try await cursors.acquireNotifierLease(
            Self.name, holder: holder, now: now, expiry: now.addingTimeInterval(Double(timing.lease.milliseconds) / 1000))
    }

    /// Every lot with unsent events, each up to its last event, until none is left.
    private func sendBacklog() async throws {
        while true {
            let backlog = try await cursors.notifierBacklog(Self.name, limit: Self.batch)
            for cursor in backlog {
                try Task.checkCancellation()
                try await sendEvents(after: cursor)
            }
            if backlog.count < Self.batch { return }
        }
    }

    /// The lot's events after the cursor, in seq order, each sent before the next.
    private func sendEvents(after cursor: NotifierCursor) async throws {
        let title = try await store.lot(id: cursor.lotID)?.title
        var sent = cursor.seq
        while true {
            let page = try await store.events(lotID: cursor.lotID, since: sent, limit: Self.batch)
            // Events of the types not sent move the cursor with the next one sent, or at the page's end.
            for event in page where events.contains(eventType(of: event)) {
                try await deliver(TelegramMessage.text(for: event, title: title), of: event)
                try await advance(cursor.lotID, to: event.seq)
            }
            guard let last = page.last else { return }
            if last.seq > sent { try await advance(cursor.lotID, to: last.seq) }
            sent = last.seq
            if page.count < Self.batch { return }
        }
    }

    private func advance(_ lotID: Int64, to seq: Int64) async throws {
        guard try await cursors.advanceNotifierCursor(Self.name, lotID: lotID, to: seq, holder: holder, now: Date()) else {
            throw LeaseLost()
        }
    }

    /// Sends until Telegram takes the message or refuses it for good, renewing the
    /// lease before every attempt (a long `retry_after` outlasts the lease).
    private func deliver(_ text: String, of event: EventRecord) async throws {
        var backoff = Backoff(initial: timing.retryInitial, maximum: timing.retryMaximum)
        let about: Logger.Metadata = ["lot_id": "\(event.lotID)", "seq": "\(event.seq)"]
        while true {
            guard try await holdLease() else { throw LeaseLost() }
            switch await client.send(text) {
            case .sent:
                return
            case .rejected(let why):
                logger.error("telegram refused an event; skipped", metadata: about.merging(["error": "\(why)"]) { $1 })
                return
            case .retryAfter(let wait):
                logger.notice("telegram asks to wait", metadata: about.merging(["retry_after": "\(wait)"]) { $1 })
                try await Task.sleep(for: wait)
            case .failed(let why):
                let wait = backoff.next()
                logger.warning(
                    "telegram send failed; retrying", metadata: about.merging(["error": "\(why)", "retry_in": "\(wait)"]) { $1 })
                try await Task.sleep(for: wait)
            }
        }
    }

    /// The event's `type`, for the `telegram.events` filter.
    private func eventType(of event: EventRecord) -> String {
        struct Typed: Decodable { let type: String }
        return (try? JSONDecoder().decode(Typed.self, from: Data(event.json.utf8)))?.type ?? ""
    }
}
