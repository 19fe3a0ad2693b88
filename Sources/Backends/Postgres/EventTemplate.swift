import AuctionCore
import Foundation

/// An event's JSON with its `seq` left open, so that a single SQL statement can
/// insert the exact text of `AuctionEvent.json` before the number is known:
/// the statement computes `prefix || seq || suffix`.
///
/// Why: the event must be written in the same statement that takes the lot's
/// next number (the row lock is then held for one round trip), and the JSON must
/// be byte for byte what Core produces. Core renders everything but the number;
/// SQL only writes a decimal integer, which it writes the same way Swift does.
struct EventTemplate: Sendable, Equatable {
    let type: String
    let prefix: String
    let suffix: String

    init(lotID: Int64, at: Date, kind: AuctionEvent.Kind) {
        // `seq` is the last field but one: `...,"seq":N,"at":"..."}`. Strings in the
        // JSON have their quotes escaped, so the last `,"seq":0,` is the field itself.
        let json = AuctionEvent(lotID: lotID, seq: 0, at: at, kind: kind).json
        let marker = ",\"seq\":0,"
        guard let range = json.range(of: marker, options: .backwards) else {
            preconditionFailure("AuctionEvent.json has no seq field: \(json)")
        }
        type = kind.typeName
        prefix = String(json[..<range.lowerBound]) + ",\"seq\":"
        suffix = "," + String(json[range.upperBound...])
    }

    /// The JSON with `seq` filled in, as the SQL side builds it.
    func json(seq: Int64) -> String {
        prefix + String(seq) + suffix
    }

    func record(lotID: Int64, seq: Int64) -> EventRecord {
        EventRecord(lotID: lotID, seq: seq, json: json(seq: seq))
    }
}
