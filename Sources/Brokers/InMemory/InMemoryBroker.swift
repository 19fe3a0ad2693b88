import AuctionCore
import AuctionSupport

/// The event broker of a single process: publish hands the event to every local
/// subscriber, in one order for all of them even with concurrent publishers
/// (`Broadcast` yields under its lock).
public final class InMemoryBroker: EventBroker {
    private let fanOut = Broadcast<EventRecord>()

    public init() {}

    /// Waits for cancellation (there is nothing to connect), then ends every
    /// subscriber's stream, like the brokers that have connections do.
    public func run() async throws {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        fanOut.finish()
    }

    public func publish(_ event: EventRecord) async throws {
        fanOut.yield(event)
    }

    public func subscribe() async -> AsyncStream<EventRecord> {
        fanOut.subscribe()
    }

    public func ping() async throws {}

    /// How many local subscriptions are live.
    package var subscriberCount: Int { fanOut.count }
}
