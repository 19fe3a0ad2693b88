import AuctionCore
import Foundation

/// A JSON object written field by field, in the order given: the API keeps the
/// original service's fields first (Foundation's encoder does not keep order).
struct OrderedJSON {
    private var text = "{"
    private var empty = true

    private mutating func key(_ name: String) {
        // A flag, not `text.count`: counting characters walks the whole text.
        if !empty { text += "," }
        empty = false
        text += JSONText.string(name) + ":"
    }

    mutating func add(_ name: String, _ value: String?) {
        key(name)
        text += value.map(JSONText.string) ?? "null"
    }

    mutating func add(_ name: String, _ value: Int64?) {
        key(name)
        text += value.map(String.init) ?? "null"
    }

    mutating func add(_ name: String, _ value: Int?) {
        add(name, value.map(Int64.init))
    }

    /// Money as an exact JSON number.
    mutating func add(_ name: String, _ value: Money?) {
        key(name)
        text += value?.description ?? "null"
    }

    mutating func add(_ name: String, _ value: Date?) {
        add(name, value.map(Timestamp.format))
    }

    var json: String { text + "}" }

    static func array(_ objects: [String]) -> String {
        "[" + objects.joined(separator: ",") + "]"
    }
}
