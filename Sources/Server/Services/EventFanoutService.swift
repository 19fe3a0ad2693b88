import AuctionCore
import Logging
import ServiceLifecycle

/// Feeds the hub: every event the broker brings, and a periodic comparison with
/// the event log that catches whatever the broker lost. Also pings the sockets,
/// and closes them when the server shuts down.
struct EventFanoutService: Service {
    let broker: any EventBroker
    let hub: WebSocketHub
    let resyncInterval: Duration
    var pingInterval: Duration = .seconds(30)
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
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: pingInterval)
                        await hub.checkAlive()
                    }
                }
            }
        }
        // 1001: going away. Clients reconnect (to another node) with ?since.
        await hub.closeAll(code: 1001, reason: "server shutting down")
    }
}
