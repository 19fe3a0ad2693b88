/// Carries events from the process that made them to every process that has
/// sockets watching. Only the fast path: the store's event log is the truth, so
/// a broker may drop a message (an outage) but must not reorder one lot's events.
public protocol EventBroker: Sendable {
    /// Runs the broker's connections until cancelled, reconnecting as needed.
    func run() async throws
    /// Sends an event to every subscriber in every process.
    func publish(_ event: EventRecord) async throws
    /// Every event of every lot, from now on. Ending the iteration unsubscribes.
    func subscribe() async -> AsyncStream<EventRecord>
    /// Answers when the broker does (for readiness checks).
    func ping() async throws
}
