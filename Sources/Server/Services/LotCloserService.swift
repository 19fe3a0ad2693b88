import AuctionCore
import Foundation
import Logging
import ServiceLifecycle

/// Finishes timed lots whose end has passed. Every API process runs it; the
/// store's conditional update closes each lot exactly once between them.
struct LotCloserService: Service {
    let store: any AuctionStore
    let publisher: EventPublisher
    let interval: Duration
    let logger: Logger
    /// Opened once the schema is ready.
    let gate: StartupGate

    func run() async throws {
        await runPeriodically(every: interval, after: gate) { await closeDue() }
    }

    func closeDue() async {
        do {
            let batch = 100
            while true {
                let events = try await store.closeExpiredLots(now: Date(), limit: batch)
                await publisher.publish(events)
                // Two events per lot: a full batch means there may be more.
                if events.count < 2 * batch { return }
            }
        } catch {
            logger.warning("could not close expired lots", metadata: ["error": "\(error)"])
        }
    }
}
