/// What happened to a broker's consumer connection, for users that resync after an outage.
public enum AMQPBrokerEvent: Sendable, Equatable {
    /// The queue is bound and the consumer started. `generation` counts the
    /// connections so far: 1 the first time, more after each reconnection
    /// (events published while it was down were missed: read them from the store).
    case consuming(generation: Int)
    /// The consumer connection was lost; a reconnection follows.
    case disconnected(reason: String)
}
