import AMQPClient
import Foundation
import Logging
import Testing
import TestSupport

@Suite("AMQP connection (rabbitmq-c wrapper)")
struct AMQPConnectionTests {
    private let logger = Logger(label: "test.amqp.connection")

    @Test("heartbeats are served while the connection sits idle")
    func heartbeatsWhileIdle() async throws {
        let url = try AMQPURL(ServiceEnvironment.amqpURL())
        let connection = try await AMQPConnection.connect(
            AMQPConnectionOptions(url: url, name: "idle", heartbeat: .seconds(1)), logger: logger)
        // RabbitMQ drops a peer that misses two heartbeats: 2 s here.
        try await Task.sleep(for: .seconds(4))
        #expect(connection.isOpen)
        try await connection.declareExchange("amq.topic", passive: true)
        await connection.close()
        #expect(!connection.isOpen)
        #expect(await connection.waitUntilClosed() == .closed)
    }

    @Test("connecting to a port nobody listens on fails at once")
    func connectRefused() async throws {
        let clock = ContinuousClock()
        var caught: AMQPError?
        let elapsed = await clock.measure {
            do throws(AMQPError) {
                _ = try await AMQPConnection.connect(
                    AMQPConnectionOptions(
                        url: AMQPURL(host: "127.0.0.1", port: 1), name: "refused", connectTimeout: .seconds(300)),
                    logger: logger)
            } catch {
                caught = error
            }
        }
        guard case .connectFailed = caught else {
            Issue.record("expected connectFailed, got \(String(describing: caught))")
            return
        }
        // "At once" is the refusal, not the 300 s connect timeout; 60 s is slack for a
        // loaded CI machine (14 s was seen at a load of 29).
        #expect(elapsed < .seconds(60))
    }

    @Test("wrong credentials are refused")
    func badLogin() async throws {
        var url = try AMQPURL(ServiceEnvironment.amqpURL())
        url.password = "wrong"
        await #expect(throws: AMQPError.self) {
            _ = try await AMQPConnection.connect(AMQPConnectionOptions(url: url, name: "bad-login"), logger: logger)
        }
    }

    @Test("a server-side error closes the connection and later calls fail")
    func serverErrorEndsConnection() async throws {
        let url = try AMQPURL(ServiceEnvironment.amqpURL())
        let connection = try await AMQPConnection.connect(AMQPConnectionOptions(url: url, name: "error"), logger: logger)
        // A passive declare of an absent exchange is a 404 that closes the channel.
        await #expect(throws: AMQPError.self) {
            try await connection.declareExchange("absent.\(UUID().uuidString)", passive: true)
        }
        let reason = await connection.waitUntilClosed()
        guard case .closedByServer(let code, _) = reason else {
            Issue.record("expected closedByServer, got \(reason)")
            return
        }
        #expect(code == 404)
        await #expect(throws: AMQPError.self) { try await connection.declareExchange("amq.topic", passive: true) }
    }
}
