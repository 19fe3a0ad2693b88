import Foundation

/// An exact amount of money in integer cents.
///
/// Amounts are never floating point: they are parsed from their decimal text and
/// written back as a JSON number with at most two fractional digits.
public struct Money: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The largest amount accepted: 1,000,000,000,000.00.
    public static let maximum = Money(cents: 100_000_000_000_000)
    /// The smallest positive amount: 0.01.
    public static let cent = Money(cents: 1)

    public let cents: Int64

    public init(cents: Int64) {
        self.cents = cents
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    public static func + (lhs: Money, rhs: Money) -> Money {
        // Both operands are at most `maximum`, so the sum cannot overflow Int64.
        Money(cents: lhs.cents + rhs.cents)
    }

    /// Parses a decimal amount: digits, optionally a point and one or two digits.
    /// Accepts exponent notation as JSON numbers may carry it (`1e2`), but never
    /// NaN, infinities, signs, more than two fractional digits, zero or amounts
    /// above `maximum`.
    public init(parsing text: String) throws(MoneyError) {
        let trimmed = text
        guard !trimmed.isEmpty, trimmed.utf8.count <= 64 else { throw .notANumber }
        var mantissa = Substring(trimmed)
        var exponent = 0
        if let e = mantissa.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let expText = mantissa[mantissa.index(after: e)...]
            guard let parsed = Int(expText), abs(parsed) <= 40 else { throw .outOfRange }
            exponent = parsed
            mantissa = mantissa[..<e]
        }
        if mantissa.first == "-" {
            // A well-formed negative number is a range error, not a format error.
            if Money.isPlainDecimal(mantissa.dropFirst()) { throw .notPositive }
            throw .notANumber
        }
        guard Money.isPlainDecimal(mantissa) else { throw .notANumber }
        let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
        var digits = String(parts[0])
        var fraction = parts.count > 1 ? String(parts[1]) : ""
        // Apply the exponent by moving the decimal point.
        if exponent > 0 {
            let moved = fraction.prefix(exponent)
            digits += moved + String(repeating: "0", count: exponent - moved.count)
            fraction = String(fraction.dropFirst(exponent))
        } else if exponent < 0 {
            let shift = -exponent
            let padded = String(repeating: "0", count: max(0, shift - digits.count)) + digits
            fraction = String(padded.suffix(shift)) + fraction
            digits = String(padded.dropLast(shift))
        }
        // Trailing zeros in the fraction carry no value ("12.50", "1.000").
        while fraction.hasSuffix("0") { fraction.removeLast() }
        guard fraction.count <= 2 else { throw .tooPrecise }
        let whole = digits.drop(while: { $0 == "0" })
        guard whole.count <= 13 else { throw .outOfRange }
        let wholeValue = Int64(whole.isEmpty ? "0" : String(whole))!
        let fractionValue = Int64((fraction + String(repeating: "0", count: 2 - fraction.count)))!
        let cents = wholeValue * 100 + fractionValue
        guard cents > 0 else { throw .notPositive }
        guard cents <= Money.maximum.cents else { throw .outOfRange }
        self.cents = cents
    }

    private static func isPlainDecimal(_ text: Substring) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty,
              whole.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        if parts.count == 2 {
            return !parts[1].isEmpty && parts[1].allSatisfy { $0.isASCII && $0.isNumber }
        }
        return true
    }

    /// The shortest exact decimal text: `12.5`, `12.05`, `100`.
    public var description: String {
        let whole = cents / 100
        let fraction = cents % 100
        if fraction == 0 { return "\(whole)" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10)" }
        return fraction < 10 ? "\(whole).0\(fraction)" : "\(whole).\(fraction)"
    }

    /// An exact `Decimal`, so JSON encoders write the number without binary rounding.
    public var decimal: Decimal {
        Decimal(sign: .plus, exponent: -2, significand: Decimal(cents))
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = try Money(parsing: text)
        } else {
            self = try Money(parsing: "\(try container.decode(Decimal.self))")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(decimal)
    }
}

/// Why a text is not an acceptable amount. The messages complete "amount ...".
public enum MoneyError: Error, Sendable, Equatable, CustomStringConvertible {
    case notANumber
    case notPositive
    case tooPrecise
    case outOfRange

    public var description: String {
        switch self {
        case .notANumber: "must be a decimal number such as 12.50"
        case .notPositive: "must be greater than 0"
        case .tooPrecise: "must have at most 2 decimal places"
        case .outOfRange: "must be at most 1000000000000"
        }
    }
}
