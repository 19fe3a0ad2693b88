import AuctionCore
import Foundation
import Logging
import ServiceLifecycle

/// Deletes idempotency keys older than `IdempotencyPolicy.retention` (24 h), every
/// `interval`. Every API process runs it; a delete of rows already gone costs nothing.
struct IdempotencyPurgeService: Service {
    let store: any AuctionStore
    let interval: Duration
    let logger: Logger
    /// Opened once the schema is ready.
    let gate: StartupGate

    func run() async throws {
        await runPeriodically(every: interval, after: gate) { await purge(now: Date()) }
    }

    func purge(now: Date) async {
        do {
            let purged = try await store.purgeIdempotencyKeys(olderThan: now.addingTimeInterval(-IdempotencyPolicy.retention))
            if purged > 0 { logger.debug("purged idempotency keys", metadata: ["count": "\(purged)"]) }
        } catch {
            logger.warning("could not purge idempotency keys", metadata: ["error": "\(error)"])
        }
    }
}
