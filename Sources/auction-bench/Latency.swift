import Foundation
import Histogram

/// Monotonic nanoseconds, comparable across every task of the process: bidders
/// stamp responses and subscribers stamp arrivals on the same clock.
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}

/// Latencies in microseconds, up to one minute, 3 significant digits (HdrHistogram).
struct LatencyRecorder: Sendable {
    private(set) var histogram = Histogram<UInt64>(
        lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: .three)

    mutating func record(nanoseconds: UInt64) {
        let micros = max(1, min(nanoseconds / 1000, 60_000_000))
        _ = histogram.record(micros)
    }

    mutating func merge(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
    }

    var summary: LatencySummary {
        guard histogram.totalCount > 0 else { return LatencySummary(count: 0, p50: 0, p99: 0, max: 0) }
        return LatencySummary(
            count: Int(histogram.totalCount),
            p50: Double(histogram.valueAtPercentile(50)) / 1000,
            p99: Double(histogram.valueAtPercentile(99)) / 1000,
            max: Double(histogram.max) / 1000)
    }
}

/// Percentiles in milliseconds.
struct LatencySummary: Codable, Sendable {
    let count: Int
    let p50: Double
    let p99: Double
    let max: Double
}
