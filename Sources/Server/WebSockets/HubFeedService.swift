import AuctionCore
import ServiceLifecycle

/// Feeds the hub: every event the broker brings, and a periodic comparison with
/// the event log that catches whatever the broker lost. Also pings the sockets,
/// and closes them when the server shuts down.
struct HubFeedService: Service {
    let broker: any EventBroker
    let hub: WebSocketHub
    let resyncInterval: Duration
    var pingInterval: Duration = .seconds(30)

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await event in await broker.subscribe() {
                        await hub.deliver(event)
                    }
                }
                group.addTask {
                    await Self.every(resyncInterval) {
                        await hub.resync()
                        // A logout on any node closes the user's sockets within one interval.
                        await hub.checkSessions()
                    }
                }
                group.addTask { await Self.every(pingInterval) { await hub.checkAlive() } }
            }
        }
        // 1001: going away. Clients reconnect (to another node) with ?since.
        await hub.closeAll(code: 1001, reason: "server shutting down")
    }

    /// Runs `work` after each `interval` until cancelled; a cancelled wait ends it
    /// without one more round (a shutdown must not ping every socket once more).
    private static func every(_ interval: Duration, _ work: () async -> Void) async {
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return
            }
            await work()
        }
    }
}
