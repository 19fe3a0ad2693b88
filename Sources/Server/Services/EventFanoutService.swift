import AuctionCore
import Logging
import ServiceLifecycle

/// Feeds the hub: every event the broker brings, and a periodic comparison with
/// the event log that catches whatever the broker lost.
struct EventFanoutService: Service {
    let broker: any EventBroker
    let hub: WebSocketHub
    let resyncInterval: Duration
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in await broker.subscribe() {
                        await hub.deliver(event)
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: resyncInterval)
                        await hub.resync()
                    }
                }
            }
        }
    }
}
