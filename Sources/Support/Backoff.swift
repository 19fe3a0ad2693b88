/// Exponential backoff with jitter between reconnection attempts.
///
/// The ceiling doubles from `initial` up to `maximum`; each delay is drawn from
/// the upper half of the current ceiling ("equal jitter"), so that the nodes of a
/// cluster that lost a server together do not all knock on it at the same instant,
/// while no delay is ever shorter than half the planned one.
public struct Backoff: Sendable {
    public let initial: Duration
    public let maximum: Duration
    private var ceiling: Duration

    public init(initial: Duration, maximum: Duration) {
        precondition(initial > .zero && maximum >= initial, "a backoff needs 0 < initial <= maximum")
        self.initial = initial
        self.maximum = maximum
        self.ceiling = initial
    }

    /// The delay before the next attempt, between half the ceiling and the ceiling;
    /// each call doubles the ceiling of the following one, up to `maximum`.
    public mutating func next() -> Duration {
        var generator = SystemRandomNumberGenerator()
        return next(using: &generator)
    }

    public mutating func next(using generator: inout some RandomNumberGenerator) -> Duration {
        defer { ceiling = min(ceiling * 2, maximum) }
        return ceiling * Double.random(in: 0.5...1, using: &generator)
    }

    /// Starts over from `initial` (after a connection that worked).
    public mutating func reset() {
        ceiling = initial
    }
}
