import Foundation

/// RFC 3339 timestamps as the API writes and reads them, at millisecond precision
/// (what the stores keep, so a value read back equals the one written).
public enum Timestamp {
    // Made once: building a style per call cost as much as formatting with it (perf).
    private static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    private static let plain = Date.ISO8601FormatStyle()

    /// `2026-11-29T03:40:57.123Z`
    public static func format(_ date: Date) -> String {
        // The style floors the fraction, and a whole millisecond is often stored
        // a hair below itself in binary: format the middle of the millisecond.
        let middle = Date(timeIntervalSince1970: (Double(milliseconds(date)) + 0.5) / 1000)
        return middle.formatted(withFraction)
    }

    /// Parses RFC 3339 with or without fractional seconds, with `Z` or an offset.
    /// The date is truncated to milliseconds, so `parse(format(date)) == truncated(date)`.
    public static func parse(_ text: String) -> Date? {
        guard text.count >= 20, text.count <= 40 else { return nil }
        if let date = try? withFraction.parse(text) { return truncated(date) }
        if let date = try? plain.parse(text) { return truncated(date) }
        return nil
    }

    /// Milliseconds since 1970, the stores' column format.
    public static func milliseconds(_ date: Date) -> Int64 {
        // Rounding down alone would turn a whole millisecond stored a hair below
        // itself (binary fractions, and Date counting from 2001) into the one before.
        let scaled = date.timeIntervalSince1970 * 1000
        let nearest = scaled.rounded()
        return Int64(abs(scaled - nearest) < 0.001 ? nearest : scaled.rounded(.down))
    }

    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// The date truncated to what the stores keep.
    public static func truncated(_ date: Date) -> Date {
        self.date(milliseconds: milliseconds(date))
    }
}
