import AuctionCore
import Logging
import ServiceLifecycle

/// The service that hands queued events to the broker, in commit order per process.
struct BrokerOutbox: Service {
    let broker: any EventBroker
    let events: AsyncStream<EventRecord>
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            for await event in events {
                do {
                    try await broker.publish(event)
                } catch {
                    logger.warning(
                        "event not published; hubs will read it from the log",
                        metadata: ["lot": "\(event.lotID)", "seq": "\(event.seq)", "error": "\(error)"])
                }
            }
        }
    }
}
