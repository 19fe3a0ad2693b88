/// Timing of an `AMQPBroker`'s connections. The defaults suit production; tests shorten them.
public struct AMQPBrokerSettings: Sendable {
    /// Heartbeat negotiated on both connections.
    public var heartbeat: Duration = .seconds(10)
    /// TCP connect, and again the AMQP handshake.
    public var connectTimeout: Duration = .seconds(2)
    /// Each declare/bind/consume round trip.
    public var operationTimeout: Duration = .seconds(5)
    /// The longest a publish waits for the server's confirm.
    public var confirmTimeout: Duration = .seconds(5)
    /// Reconnection backoff (`Backoff`): doubles from the first delay up to the cap, with jitter.
    public var reconnectDelay: Duration = .milliseconds(100)
    public var maximumReconnectDelay: Duration = .seconds(2)

    public init() {}
}
