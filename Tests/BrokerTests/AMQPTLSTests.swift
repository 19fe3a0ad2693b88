import AMQPBroker
import AMQPClient
import AuctionCore
import Foundation
import Logging
import Testing
import TestSupport

/// `amqps://` through rabbitmq-c's OpenSSL socket, against the test node's TLS
/// listener (a certificate for `localhost` from a CA made by scripts/lib/rabbitmq.sh).
@Suite("AMQP over TLS")
struct AMQPTLSTests {
    private let logger = Logger(label: "test.amqp.tls")

    /// The TLS listener's URL with the given host and query.
    static func url(host: String = "localhost", _ query: String) throws -> String {
        var components = try #require(URLComponents(url: ServiceEnvironment.amqpsURL(), resolvingAgainstBaseURL: false))
        components.host = host
        components.percentEncodedQuery = query
        return try #require(components.string)
    }

    func connect(_ text: String) async throws(AMQPError) -> AMQPConnection {
        try await AMQPConnection.connect(
            AMQPConnectionOptions(url: AMQPURL(parsing: text), name: "tls", connectTimeout: .seconds(5)), logger: logger)
    }

    func failure(_ text: String) async -> AMQPError? {
        do {
            let connection = try await connect(text)
            await connection.close()
            return nil
        } catch {
            return error
        }
    }

    @Test func amqpsURLsParse() throws {
        let url = try AMQPURL(parsing: "amqps://u:p@rabbit.example/%2F?cacertfile=/etc/ca.pem")
        #expect(url == AMQPURL(host: "rabbit.example", port: 5671, user: "u", password: "p", vhost: "/",
                               tls: .init(caCertificateFile: "/etc/ca.pem", verifyPeer: true)))
        #expect(url.description == "amqps://u@rabbit.example:5671/%2F")
        #expect(try AMQPURL(parsing: "amqps://h:5000?verify=verify_none").tls == .init(verifyPeer: false))
        #expect(try AMQPURL(parsing: "amqps://h").tls?.caCertificateFile == AMQPURL.TLS.systemCAFile)
        for refused in ["amqp://h?cacertfile=/ca.pem", "amqps://h?verify=maybe", "amqps://h?certfile=/c.pem"] {
            #expect(throws: AMQPError.self, "\(refused)") { try AMQPURL(parsing: refused) }
        }
    }

    @Test func verifiedWithTheCAABrokerDeliversOverTLS() async throws {
        let url = try #require(URL(string: Self.url("cacertfile=\(ServiceEnvironment.amqpCA())")))
        try await AMQPTestSupport.withRunningBrokers(count: 2, url: url) { brokers in
            let stream = await brokers[1].subscribe()
            let event = AMQPTestSupport.event(lot: 7, seq: 1)
            try await brokers[0].publish(event)
            #expect(try await AMQPTestSupport.collect(stream, count: 1) == [event])
        }
    }

    @Test func verifyNoneTakesACertificateForAnotherName() async throws {
        let connection = try await connect(Self.url(host: "127.0.0.1", "verify=verify_none"))
        try await connection.declareExchange("amq.topic", passive: true)
        await connection.close()
    }

    @Test func theWrongCAIsRefused() async throws {
        let error = await failure(try Self.url("cacertfile=\(ServiceEnvironment.amqpOtherCA())"))
        #expect(error == .connectFailed("localhost:\(try ServiceEnvironment.amqpsURL().port ?? 0): SSL peer cert verification failed"))
    }

    @Test func aHostTheCertificateDoesNotNameIsRefused() async throws {
        let error = await failure(try Self.url(host: "127.0.0.1", "cacertfile=\(ServiceEnvironment.amqpCA())"))
        #expect(error == .connectFailed("127.0.0.1:\(try ServiceEnvironment.amqpsURL().port ?? 0): SSL hostname verification failed"))
    }

    @Test func aCAFileThatIsNotThereIsSaid() async throws {
        let error = await failure(try Self.url("cacertfile=/nonexistent/ca.pem"))
        #expect(error?.description.hasPrefix("cannot connect to RabbitMQ: the CA file /nonexistent/ca.pem cannot be loaded") == true, "\(String(describing: error))")
    }
}
