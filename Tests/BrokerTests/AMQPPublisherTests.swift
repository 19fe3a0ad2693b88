@testable import AMQPBroker
import AMQPClient
import Foundation
import Logging
import Testing
import TestSupport

@Suite("AMQP publisher")
struct AMQPPublisherTests {
    @Test("after shutdown a publish fails and makes no new connection")
    func nothingAfterShutdown() async throws {
        let url = try AMQPURL(ServiceEnvironment.amqpURL())
        let publisher = AMQPPublisher(
            options: AMQPConnectionOptions(url: url, name: "publisher"), exchange: "auction.test.\(UUID())",
            settings: AMQPBrokerSettings(), logger: Logger(label: "test.amqp.publisher"))
        try await publisher.publish(routingKey: "lot.1", body: [1])
        await publisher.shutdown()
        await #expect(throws: AMQPError.closed) {
            try await publisher.publish(routingKey: "lot.1", body: [2])
        }
    }
}
