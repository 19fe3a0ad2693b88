import AuctionCore
import Foundation

/// An event's type and JSON with its `seq` left open, so that a single SQL
/// statement can insert the exact text of `AuctionEvent.json` before the number
/// is known: the statement computes `prefix || seq || suffix`.
///
/// Why: the event must be written in the same statement that takes the lot's
/// next number (the row lock is then held for one round trip), and the JSON must
/// be byte for byte what Core produces. Core renders the parts around the number
/// (`AuctionEvent.jsonParts`); SQL writes a decimal integer the way Swift does.
struct EventTemplate: Sendable, Equatable {
    let type: String
    let kind: AuctionEvent.Kind
    let parts: EventJSONParts

    var prefix: String { parts.prefix }
    var suffix: String { parts.suffix }

    init(lotID: Int64, at: Date, kind: AuctionEvent.Kind) {
        type = kind.typeName
        self.kind = kind
        parts = AuctionEvent.jsonParts(lotID: lotID, at: at, kind: kind)
    }

    func record(lotID: Int64, seq: Int64) -> EventRecord {
        EventRecord(lotID: lotID, seq: seq, json: parts.json(seq: seq))
    }
}
