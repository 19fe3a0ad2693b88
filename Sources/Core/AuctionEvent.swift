import Foundation

/// Something that happened to a lot, numbered by the lot's `seq`.
public struct AuctionEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `auto`: the server raised the leader's bid up to their maximum (a proxy bid).
        case bidPlaced(bidder: String, amount: Money, auto: Bool = false)
        case statusChanged(LotStatus)
        case extended(endsAt: Date)
        case closed(winner: String?, amount: Money?)

        /// The `type` field of the event's JSON.
        public var typeName: String {
            switch self {
            case .bidPlaced: "bid_placed"
            case .statusChanged: "lot_status_changed"
            case .extended: "lot_extended"
            case .closed: "lot_closed"
            }
        }
    }

    public let lotID: Int64
    public let seq: Int64
    public let at: Date
    public let kind: Kind

    public init(lotID: Int64, seq: Int64, at: Date, kind: Kind) {
        self.lotID = lotID
        self.seq = seq
        self.at = at
        self.kind = kind
    }

    /// The event as stored in the log and carried by the brokers.
    public var record: EventRecord {
        EventRecord(lotID: lotID, seq: seq, json: json)
    }
}

/// An event in its wire form: the JSON text, with the stream it is numbered in,
/// its lot and its number kept alongside so that nothing has to parse it to
/// route or order it. A lot's event is in the lot's stream; a user's own event
/// (`UserEvent`) is in the user's stream and names the lot it is about.
public struct EventRecord: Sendable, Equatable, Hashable {
    public let stream: EventStream
    public let lotID: Int64
    public let seq: Int64
    public let json: String

    public init(lotID: Int64, seq: Int64, json: String) {
        self.init(stream: .lot(lotID), lotID: lotID, seq: seq, json: json)
    }

    public init(stream: EventStream, lotID: Int64, seq: Int64, json: String) {
        self.stream = stream
        self.lotID = lotID
        self.seq = seq
        self.json = json
    }

    private struct Envelope: Decodable {
        let lot_id: Int64
        let seq: Int64
    }

    /// Reads the lot and number back out of an event's JSON (for brokers that
    /// carry only the JSON text, and tell a user's stream by their channel).
    /// `stream` nil is the lot's. Nil when the text is not an event.
    public init?(json: String, stream: EventStream? = nil) {
        guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(json.utf8)) else {
            return nil
        }
        self.init(stream: stream ?? .lot(envelope.lot_id), lotID: envelope.lot_id, seq: envelope.seq, json: json)
    }
}
