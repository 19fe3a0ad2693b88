/// How an `AMQPConnection` connects and how long it waits for anything.
public struct AMQPConnectionOptions: Sendable {
    public var url: AMQPURL
    /// Shown as the connection thread's name, for logs and debuggers.
    public var name: String
    /// Negotiated with the server; the connection's thread serves heartbeats while idle.
    public var heartbeat: Duration
    /// For the TCP connect, and again for the AMQP handshake and login.
    public var connectTimeout: Duration
    /// For each RPC (declare, bind, ...). When it passes, the connection is closed.
    public var operationTimeout: Duration
    /// For a publisher confirm. When it passes, the publish fails and the connection is closed.
    public var confirmTimeout: Duration

    public init(url: AMQPURL, name: String = "amqp", heartbeat: Duration = .seconds(10),
                connectTimeout: Duration = .seconds(3), operationTimeout: Duration = .seconds(5),
                confirmTimeout: Duration = .seconds(5)) {
        self.url = url
        self.name = name
        self.heartbeat = heartbeat
        self.connectTimeout = connectTimeout
        self.operationTimeout = operationTimeout
        self.confirmTimeout = confirmTimeout
    }
}
