import AMQPBroker
import AuctionCore
import InMemoryBroker
import Logging
import RedisBroker
import TestSupport

/// The brokers the conformance suite runs on. A new broker adds a case here
/// (and, when it has local subscriptions to count, a `CountsLocalSubscribers` conformance).
enum BrokerBackend: String, CaseIterable, CustomStringConvertible {
    case memory
    case redis
    case amqp

    var description: String { rawValue }

    /// A new broker on the test server (throws when the server's URL is missing).
    func makeBroker() throws -> any EventBroker {
        switch self {
        case .memory: InMemoryBroker()
        case .redis: try RedisBroker(url: ServiceEnvironment.redisURL(), logger: quietLogger("test.redis"))
        case .amqp: try AMQPTestSupport.makeBroker()
        }
    }

    /// Whether two instances reach each other, as two server processes would.
    var spansInstances: Bool {
        switch self {
        case .memory: false
        case .redis, .amqp: true
        }
    }
}

/// Brokers that can tell how many local subscriptions are live (for the unsubscribe test).
protocol CountsLocalSubscribers {
    var subscriberCount: Int { get }
}

extension InMemoryBroker: CountsLocalSubscribers {}
extension RedisBroker: CountsLocalSubscribers {}
extension AMQPBroker: CountsLocalSubscribers {}

func quietLogger(_ label: String) -> Logger {
    var logger = Logger(label: label)
    logger.logLevel = .warning
    return logger
}
