import Foundation

/// The event broker and the URL it is reached at.
public enum BrokerSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case memory, redis, amqp }

    case memory
    case redis(URL)
    case amqp(URL, exchange: String)

    public var kind: Kind {
        switch self {
        case .memory: .memory
        case .redis: .redis
        case .amqp: .amqp
        }
    }

    init(reading config: SettingsReader) throws(SettingsError) {
        switch try config.choice("broker.kind", as: Kind.self) {
        case .memory: self = .memory
        case .redis: self = .redis(try config.url("broker.url", scheme: "redis", for: "broker.kind redis"))
        case .amqp:
            self = .amqp(
                try config.url("broker.url", scheme: "amqp", "amqps", for: "broker.kind amqp"),
                exchange: try config.string("broker.amqp.exchange"))
        }
    }
}

/// Where live sessions (token ids) are kept.
public enum SessionsSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case memory, redis }

    case memory
    case redis(URL)

    public var kind: Kind {
        switch self {
        case .memory: .memory
        case .redis: .redis
        }
    }

    init(reading config: SettingsReader) throws(SettingsError) {
        switch try config.choice("sessions.kind", as: Kind.self) {
        case .memory: self = .memory
        case .redis: self = .redis(try config.url("sessions.url", scheme: "redis", for: "sessions.kind redis"))
        }
    }
}
