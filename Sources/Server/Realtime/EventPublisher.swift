import AuctionCore
import Logging

/// Sends committed events on their way: to this process's hub at once, and to the
/// broker for every other process. A broker failure is logged, not returned: the
/// event is already in the log, and the hubs fill gaps from it.
struct EventPublisher: Sendable {
    let broker: any EventBroker
    let hub: WebSocketHub?
    let logger: Logger

    func publish(_ events: [EventRecord]) async {
        for event in events {
            await hub?.deliver(event)
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
