import AuctionCore
import Foundation
import Hummingbird

/// The fields of a request body, whichever encoding the client used: form
/// (what the original clients send, read byte by byte), JSON, or multipart;
/// also of a URL's query. Unknown fields are kept and simply never read.
/// Input structs read them through `FieldsDecoder`.
struct RequestFields: Sendable {
    enum Value: Sendable, Equatable {
        case text(String)
        /// A JSON number, by its exact decimal text: money or a count, never a text field.
        case number(String)
        /// A JSON boolean, object or array: no field of the API takes one.
        case structured
    }

    private(set) var values: [String: Value]

    init(values: [String: Value] = [:]) {
        self.values = values
    }

    /// The fields of a body of the given content type: JSON, multipart, or else form.
    init(body: String, contentType: String?) throws {
        let type = contentType?.lowercased() ?? ""
        if type.hasPrefix("application/json") || type.hasSuffix("+json") || (type.isEmpty && body.first == "{") {
            self = try Self.decodeJSON(body)
        } else if type.hasPrefix("multipart/form-data") {
            guard let fields = MultipartFields.parse(body, contentType: contentType ?? "") else {
                throw APIError(status: .unprocessableContent, detail: "body: not valid multipart/form-data")
            }
            self.init(values: fields.mapValues { .text($0) })
        } else {
            self = try Self.decodeForm(body)
        }
    }

    /// `application/x-www-form-urlencoded`, also used for query strings.
    /// Reads `a=1&b=2`; `part` names it in the error (the body, or a URL's query).
    static func decodeForm(_ body: String, part: String = "body") throws -> RequestFields {
        var values: [String: Value] = [:]
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = percentDecode(parts[0]),
                  let value = parts.count > 1 ? percentDecode(parts[1]) : ""
            else {
                throw APIError(status: .unprocessableContent, detail: "\(part): not valid form encoding")
            }
            // The first occurrence wins, as in most form parsers.
            if values[name] == nil { values[name] = .text(value) }
        }
        return RequestFields(values: values)
    }

    /// `application/x-www-form-urlencoded` decoding: `+` is a space, `%XX` a byte;
    /// nil for a bad escape or bytes that are not UTF-8. Byte by byte: Foundation's
    /// replacingOccurrences + removingPercentEncoding took 3% of the bid path's CPU.
    static func percentDecode(_ text: Substring) -> String? {
        let utf8 = text.utf8
        if !utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) { return String(text) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { return nil }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex, let h = hexValue(utf8[high]), let l = hexValue(utf8[low]) else { return nil }
                bytes.append(h << 4 | l)
                index = low
            default:
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func decodeJSON(_ body: String) throws -> RequestFields {
        if body.allSatisfy(\.isWhitespace) { return RequestFields() }
        do {
            let object = try JSONDecoder().decode([String: JSONField].self, from: Data(body.utf8))
            return RequestFields(values: object.compactMapValues(\.value))
        } catch {
            throw APIError(status: .unprocessableContent, detail: "body: not a valid JSON object")
        }
    }

    // MARK: - Reading fields

    var names: [String] { Array(values.keys) }

    func contains(_ name: String) -> Bool { values[name] != nil }

    /// The field's text, or nil when absent. A JSON number, boolean or structure is
    /// a 422 (the document says string), and so is a NUL character, which
    /// PostgreSQL cannot store in text (it would be a 500).
    func text(_ name: String) throws -> String? {
        switch values[name] {
        case nil: return nil
        case .text(let text): return try Self.checked(text, name)
        case .number, .structured: throw APIError.validation(name, "must be a string")
        }
    }

    func requiredText(_ name: String) throws -> String {
        guard let value = try text(name) else { throw APIError.validation(name, "field required") }
        return value
    }

    /// The text of a number field (money or a count): a JSON number or a string.
    func numeric(_ name: String) throws -> String? {
        switch values[name] {
        case nil: return nil
        case .text(let text), .number(let text): return try Self.checked(text, name)
        case .structured: throw APIError.validation(name, "must be a string or a number")
        }
    }

    func requiredNumeric(_ name: String) throws -> String {
        guard let value = try numeric(name) else { throw APIError.validation(name, "field required") }
        return value
    }

    func integer(_ name: String, in range: ClosedRange<Int64>) throws -> Int64? {
        try numeric(name).map { try FieldText.integer($0, field: name, in: range) }
    }

    private static func checked(_ text: String, _ name: String) throws -> String {
        guard !text.utf8.contains(0) else { throw APIError.validation(name, "must not contain NUL characters") }
        return text
    }
}

/// One JSON value where a form field is expected: strings as they are, numbers by
/// their exact decimal text (never through a binary floating point), null as absent.
private struct JSONField: Decodable {
    let value: RequestFields.Value?

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            value = nil
        } else if let text = try? container.decode(String.self) {
            value = .text(text)
        } else if (try? container.decode(Bool.self)) != nil {
            value = .structured
        } else if let integer = try? container.decode(Int64.self) {
            value = .number(String(integer))
        } else if let decimal = try? container.decode(Decimal.self) {
            value = .number(decimal.isFinite ? "\(decimal)" : "NaN")
        } else {
            value = .structured
        }
    }
}
