/// A message RabbitMQ delivered to a consumer.
public struct AMQPDelivery: Sendable, Equatable {
    public let exchange: String
    public let routingKey: String
    public let body: [UInt8]

    public init(exchange: String, routingKey: String, body: [UInt8]) {
        self.exchange = exchange
        self.routingKey = routingKey
        self.body = body
    }
}
