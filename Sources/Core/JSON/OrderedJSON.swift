import Foundation

/// A JSON object written field by field, in the order given: the API keeps the
/// original service's fields first (Foundation's encoder does not keep order).
public struct OrderedJSON: Sendable {
    private var text = "{"
    private var empty = true

    public init() {}

    private mutating func key(_ name: String) {
        // A flag, not `text.count`: counting characters walks the whole text.
        if !empty { text += "," }
        empty = false
        text += JSONText.string(name) + ":"
    }

    public mutating func add(_ name: String, _ value: String?) {
        key(name)
        text += value.map(JSONText.string) ?? "null"
    }

    public mutating func add(_ name: String, _ value: Int64?) {
        key(name)
        text += value.map(String.init) ?? "null"
    }

    public mutating func add(_ name: String, _ value: Int?) {
        add(name, value.map(Int64.init))
    }

    /// Money as an exact JSON number.
    public mutating func add(_ name: String, _ value: Money?) {
        key(name)
        text += value?.description ?? "null"
    }

    public mutating func add(_ name: String, _ value: Bool?) {
        key(name)
        text += value.map { $0 ? "true" : "false" } ?? "null"
    }

    public mutating func add(_ name: String, _ value: Date?) {
        add(name, value.map(Timestamp.format))
    }

    /// Writes the key `name` and returns the text so far, leaving its value to
    /// someone else (SQL, say): what is added afterwards, and `json`, are the text
    /// that follows the value.
    public mutating func openValue(of name: String) -> String {
        key(name)
        defer { text = "" }
        return text
    }

    public var json: String { text + "}" }

    public static func array(_ objects: [String]) -> String {
        "[" + objects.joined(separator: ",") + "]"
    }
}
