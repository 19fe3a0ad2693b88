/// Exponential backoff between reconnection attempts: doubles from `initial` up to `maximum`.
struct Backoff: Sendable {
    let initial: Duration
    let maximum: Duration
    private var current: Duration

    init(initial: Duration, maximum: Duration) {
        self.initial = initial
        self.maximum = maximum
        self.current = initial
    }

    /// The delay before the next attempt; each call doubles the following one.
    mutating func next() -> Duration {
        defer { current = min(current * 2, maximum) }
        return current
    }

    mutating func reset() {
        current = initial
    }
}
