import Dispatch

extension Duration {
    /// Whole milliseconds, rounded up: a positive wait never becomes 0, which
    /// means "do not wait" to `poll` and "no timeout" to PostgreSQL. Negative is 0.
    public var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        let perMillisecond: Int64 = 1_000_000_000_000_000
        let (whole, rest) = attoseconds.quotientAndRemainder(dividingBy: perMillisecond)
        return seconds * 1_000 + whole + (rest > 0 ? 1 : 0)
    }

    /// Whole nanoseconds, for `DispatchTime`; negative is 0.
    var nanoseconds: Int {
        let (seconds, attoseconds) = components
        guard seconds >= 0, attoseconds >= 0 else { return 0 }
        return Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000)
    }
}

extension DispatchTime {
    /// `duration` from now, for a `DispatchSemaphore` wait.
    public static func now(plus duration: Duration) -> DispatchTime {
        .now() + .nanoseconds(duration.nanoseconds)
    }
}

/// A C `struct timeval`. Each C library's module imports its own copy of the
/// struct (hiredis's and rabbitmq-c's headers include <sys/time.h> themselves, so
/// the types differ), hence a protocol: the conversion is written once, here, and
/// each client declares `extension timeval: TimevalConvertible {}`.
public protocol TimevalConvertible {
    init(tv_sec: Int, tv_usec: Int)
}

extension TimevalConvertible {
    /// The C form of a timeout (microseconds, rounded down); negative is zero.
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        guard seconds >= 0, attoseconds >= 0 else {
            self.init(tv_sec: 0, tv_usec: 0)
            return
        }
        self.init(tv_sec: Int(seconds), tv_usec: Int(attoseconds / 1_000_000_000_000))
    }
}
