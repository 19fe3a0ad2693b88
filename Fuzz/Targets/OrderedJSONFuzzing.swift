import AuctionCore
import Foundation

/// OrderedJSON renders what it is given as JSON that Foundation parses back to
/// the same values: the fields of an object built from the input's bytes.
enum OrderedJSONFuzzing {
    static func roundTrip(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        var object = OrderedJSON()
        var expected: [String: Expected] = [:]
        var order: [String] = []
        while let kind = reader.byte() {
            let name = reader.text()
            // A repeated name: JSON parsers keep one of them; the builder never repeats one.
            guard expected[name] == nil else { continue }
            let value: Expected
            switch kind % 4 {
            case 0:
                let text = reader.text()
                object.add(name, text)
                value = .text(text)
            case 1:
                let number = reader.int64()
                object.add(name, number)
                value = .integer(number)
            case 2:
                let money = Money(cents: Int64(reader.int64().magnitude % UInt64(Money.maximum.cents + 1)))
                object.add(name, money)
                value = .money(money)
            default:
                object.add(name, nil as String?)
                value = .null
            }
            expected[name] = value
            order.append(name)
        }
        let json = OrderedJSON.array([object.json, object.json])
        guard let parsed = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]],
            parsed.count == 2
        else { preconditionFailure("not JSON: \(json)") }
        for name in order {
            precondition(expected[name]!.matches(parsed[0][name]), "\(name): \(json)")
        }
        precondition(parsed[0].count == order.count, "fields: \(json)")
        precondition(json.hasPrefix("[{" + (order.first.map { JSONText.string($0) + ":" } ?? "}")), "order: \(json)")
    }

    enum Expected {
        case text(String), integer(Int64), money(Money), null

        func matches(_ value: Any?) -> Bool {
            switch (self, value) {
            case (.text(let text), let parsed as String): parsed == text
            case (.integer(let number), let parsed as NSNumber): parsed.int64Value == number
            case (.money(let money), let parsed as NSNumber):
                // Foundation reads a fraction as a Double: equal to the nearest Double of the exact text.
                parsed.doubleValue == Double(money.description)
            case (.null, is NSNull): true
            default: false
            }
        }
    }
}

/// The fuzzer's bytes as a stream of values.
struct ByteReader {
    private let bytes: [UInt8]
    private var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func byte() -> UInt8? {
        guard at < bytes.count else { return nil }
        defer { at += 1 }
        return bytes[at]
    }

    /// A length byte, then that many bytes as UTF-8 (invalid sequences replaced).
    mutating func text() -> String {
        let length = Int(byte() ?? 0) % 32
        let end = min(bytes.count, at + length)
        defer { at = end }
        return String(decoding: bytes[at..<end], as: UTF8.self)
    }

    mutating func int64() -> Int64 {
        var value: UInt64 = 0
        for _ in 0..<8 { value = value << 8 | UInt64(byte() ?? 0) }
        return Int64(bitPattern: value)
    }
}
