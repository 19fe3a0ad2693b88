/// A message received on a pattern subscription.
public struct RedisMessage: Sendable, Equatable {
    /// The pattern that matched (`auction:lot:*`).
    public let pattern: String
    /// The channel it was published on (`auction:lot:42`).
    public let channel: String
    public let payload: String

    public init(pattern: String, channel: String, payload: String) {
        self.pattern = pattern
        self.channel = channel
        self.payload = payload
    }
}

/// What happened to a subscriber's connection, for users that resync after an outage.
public enum RedisSubscriptionEvent: Sendable, Equatable {
    /// The subscription is active: messages published from now on arrive.
    /// `generation` counts the connections so far: 1 the first time, more after
    /// each reconnection (messages published while it was down were missed).
    case subscribed(generation: Int)
    /// The connection was lost; reconnection attempts follow (with backoff).
    case disconnected(reason: String)
}
