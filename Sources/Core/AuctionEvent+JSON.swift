import Foundation

/// An event's JSON around its `seq`: `prefix`, the number in decimal, `suffix`.
/// For a store that takes the lot's next number and writes the event in one SQL
/// statement (`prefix || seq || suffix`), before the number is known.
public struct EventJSONParts: Sendable, Equatable {
    public let prefix: String
    public let suffix: String

    public func json(seq: Int64) -> String {
        prefix + String(seq) + suffix
    }
}

extension AuctionEvent {
    /// The event as the API sends it: one JSON object, the original fields first
    /// (`type`, `lot_id`, then the kind's own), this project's `seq` and `at` last.
    public var json: String {
        var object = Self.openObject(lotID: lotID, kind: kind)
        object.add("seq", seq)
        Self.close(&object, at: at, kind: kind)
        return object.json
    }

    /// The JSON of the event with these fields, split where its `seq` goes.
    public static func jsonParts(lotID: Int64, at: Date, kind: Kind) -> EventJSONParts {
        var object = openObject(lotID: lotID, kind: kind)
        let prefix = object.openValue(of: "seq")
        close(&object, at: at, kind: kind)
        return EventJSONParts(prefix: prefix, suffix: object.json)
    }

    /// The fields after `seq`: `at`, and `"auto": true` on an automatic raise only,
    /// so that every other event keeps its original text.
    private static func close(_ object: inout OrderedJSON, at: Date, kind: Kind) {
        object.add("at", at)
        if case .bidPlaced(_, _, auto: true) = kind { object.add("auto", true) }
    }

    /// The fields before `seq`.
    private static func openObject(lotID: Int64, kind: Kind) -> OrderedJSON {
        var object = OrderedJSON()
        object.add("type", kind.typeName)
        object.add("lot_id", lotID)
        switch kind {
        case .bidPlaced(let bidder, let amount, _):
            object.add("bidder", bidder)
            object.add("amount", amount)
        case .statusChanged(let status):
            object.add("status", status.rawValue)
        case .extended(let endsAt):
            object.add("ends_at", endsAt)
        case .closed(let winner, let amount):
            object.add("winner", winner)
            object.add("amount", amount)
        }
        return object
    }
}
