import AuctionCore

/// The readers of typed fields, for any input's `init(from:)`: each reads the
/// field's text and answers a bad value with the 422 that names the field.
extension KeyedDecodingContainer {
    func text(_ key: Key) throws -> String? { try decodeIfPresent(String.self, forKey: key) }

    func money(_ key: Key) throws -> Money? {
        try decodeIfPresent(NumericText.self, forKey: key).map { try FieldText.money($0.text, field: key.stringValue) }
    }

    func requiredMoney(_ key: Key) throws -> Money {
        try FieldText.money(decode(NumericText.self, forKey: key).text, field: key.stringValue)
    }

    func integer(_ key: Key, in range: ClosedRange<Int64>) throws -> Int64? {
        try decodeIfPresent(NumericText.self, forKey: key).map {
            try FieldText.integer($0.text, field: key.stringValue, in: range)
        }
    }
}

/// A field's text where a number is expected: a JSON number or a string (a text
/// field refuses a JSON number). Only `FieldsDecoder` makes one.
struct NumericText: Decodable {
    let text: String

    init(text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        throw DecodingError.typeMismatch(
            Self.self, .init(codingPath: decoder.codingPath, debugDescription: "read through FieldsDecoder only"))
    }
}

/// The rules that turn a field's text into a value, shared by the readers above
/// and by `RequestFields` (the WebSocket route's query).
enum FieldText {
    static func money(_ text: String, field: String) throws -> Money {
        do {
            return try Money(parsing: text)
        } catch {
            throw APIError.validation(field, error.description)
        }
    }

    static func integer(_ text: String, field: String, in range: ClosedRange<Int64>) throws -> Int64 {
        guard let value = Int64(text), range.contains(value) else {
            throw APIError.validation(field, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return value
    }
}
