import Foundation

/// Something that happened to a user's bid, numbered by the user's own `seq`:
/// the events of `/ws/me` and `GET /account/me/events`.
public struct UserEvent: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Someone took the lead from the user; `amount` is the price now.
        case outbid(amount: Money, by: String)
        /// The server raised the user's bid (a proxy bid) to `amount`.
        case autoBid(amount: Money)
        case won(amount: Money)
        /// `winner` and `amount` are nil when the lot closed without a winner.
        case lost(winner: String?, amount: Money?)

        public var typeName: String {
            switch self {
            case .outbid: "outbid"
            case .autoBid: "auto_bid"
            case .won: "won"
            case .lost: "lost"
            }
        }
    }

    public let userID: Int64
    public let lotID: Int64
    public let seq: Int64
    public let at: Date
    public let kind: Kind

    public init(userID: Int64, lotID: Int64, seq: Int64, at: Date, kind: Kind) {
        self.userID = userID
        self.lotID = lotID
        self.seq = seq
        self.at = at
        self.kind = kind
    }

    /// `type`, `lot_id`, the kind's fields, then `seq` and `at`, as lot events are written.
    public var json: String {
        Self.jsonParts(lotID: lotID, at: at, kind: kind).json(seq: seq)
    }

    /// The JSON split where its `seq` goes, for a store that numbers it in SQL.
    public static func jsonParts(lotID: Int64, at: Date, kind: Kind) -> EventJSONParts {
        var object = OrderedJSON()
        object.add("type", kind.typeName)
        object.add("lot_id", lotID)
        switch kind {
        case .outbid(let amount, let by):
            object.add("amount", amount)
            object.add("by", by)
        case .autoBid(let amount), .won(let amount):
            object.add("amount", amount)
        case .lost(let winner, let amount):
            object.add("winner", winner)
            object.add("amount", amount)
        }
        let prefix = object.openValue(of: "seq")
        object.add("at", at)
        return EventJSONParts(prefix: prefix, suffix: object.json)
    }

    public var record: EventRecord {
        EventRecord(stream: .user(userID), lotID: lotID, seq: seq, json: json)
    }
}

/// A user event before the store numbers it (the user's next seq is only known
/// inside the transaction that writes it).
public struct UserEventDraft: Sendable, Equatable {
    public let userID: Int64
    public let lotID: Int64
    public let at: Date
    public let kind: UserEvent.Kind

    public init(userID: Int64, lotID: Int64, at: Date, kind: UserEvent.Kind) {
        self.userID = userID
        self.lotID = lotID
        self.at = at
        self.kind = kind
    }

    public var jsonParts: EventJSONParts {
        UserEvent.jsonParts(lotID: lotID, at: at, kind: kind)
    }

    public func numbered(_ seq: Int64) -> UserEvent {
        UserEvent(userID: userID, lotID: lotID, seq: seq, at: at, kind: kind)
    }
}
