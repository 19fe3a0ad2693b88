import Synchronization

/// A clock a test moves by hand (for limiters and timers that take a `now`),
/// so that what depends on time does not depend on how loaded the machine is.
public final class ManualClock: Sendable {
    private let time = Mutex(Duration.zero)

    public init() {}

    public var now: Duration { time.withLock { $0 } }

    public func advance(_ by: Duration) { time.withLock { $0 += by } }
}
