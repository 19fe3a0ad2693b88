import AuctionCore
import Foundation
import GRDB

/// The SELECTs that read domain values, and their decoding from rows. Lots and
/// bids name users by username, so these join the users table.
enum SQLiteRows {
    static let lotSelect = """
        SELECT lots.*, owner.username AS owner_username, bidder.username AS highest_bidder_username
        FROM lots
        JOIN users AS owner ON owner.id = lots.owner_id
        LEFT JOIN users AS bidder ON bidder.id = lots.highest_bidder_id
        """

    /// A lot's bids as anyone may see them: `leading`, and no maximum.
    static let bidSelect = """
        SELECT bids.id, bids.lot_id, bids.bidder_id, bids.amount_cents, bids.created_at_ms, bids.updated_at_ms,
            users.username AS bidder_username, lots.highest_bidder_id = bids.bidder_id AS leading
        FROM bids JOIN users ON users.id = bids.bidder_id JOIN lots ON lots.id = bids.lot_id
        """

    static func lot(id: Int64, in db: Database) throws -> Lot? {
        try Row.fetchOne(db.cachedStatement(sql: lotByID), arguments: [id]).map(lot(from:))
    }

    static func user(id: Int64, in db: Database) throws -> User? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM users WHERE id = ?"), arguments: [id])
            .map(user(from:))
    }

    private static let lotByID = "\(lotSelect) WHERE lots.id = ?"

    static func user(from row: Row) -> User {
        User(id: row["id"], username: row["username"], passwordHash: row["password_hash"])
    }

    static func lot(from row: Row) throws -> Lot {
        let statusText: String = row["status"]
        guard let status = LotStatus(rawValue: statusText) else {
            throw SQLiteStoreError.corruptRow("lot status \(statusText)")
        }
        let ruleText: String = row["increment_rule"]
        guard let incrementRule = IncrementRule(rawValue: ruleText) else {
            throw SQLiteStoreError.corruptRow("increment rule \(ruleText)")
        }
        let endsAt: Int64? = row["ends_at_ms"]
        let softClose: Int? = row["soft_close_seconds"]
        return Lot(
            id: row["id"],
            title: row["title"],
            description: row["description"],
            startingPrice: Money(cents: row["starting_price_cents"]),
            status: status,
            highestPrice: Money(cents: row["highest_price_cents"]),
            highestBidder: row["highest_bidder_username"],
            bidCount: row["bid_count"],
            ownerID: row["owner_id"],
            owner: row["owner_username"],
            createdAt: Timestamp.date(milliseconds: row["created_at_ms"]),
            endsAt: endsAt.map(Timestamp.date(milliseconds:)),
            minIncrement: Money(cents: row["min_increment_cents"]),
            softCloseSeconds: softClose,
            seq: row["seq"],
            highestBidderID: row["highest_bidder_id"],
            reservePrice: (row["reserve_price_cents"] as Int64?).map(Money.init(cents:)),
            buyNowPrice: (row["buy_now_price_cents"] as Int64?).map(Money.init(cents:)),
            incrementRule: incrementRule
        )
    }

    static func bid(from row: Row) -> Bid {
        Bid(
            id: row["id"],
            lotID: row["lot_id"],
            amount: Money(cents: row["amount_cents"]),
            bidderID: row["bidder_id"],
            bidder: row["bidder_username"],
            createdAt: Timestamp.date(milliseconds: row["created_at_ms"]),
            updatedAt: Timestamp.date(milliseconds: row["updated_at_ms"]),
            leading: row["leading"] ?? false
        )
    }

    /// The visible amount and maximum of a row of `bids`.
    static func standingBid(from row: Row) -> StandingBid {
        StandingBid(
            amount: Money(cents: row["amount_cents"]),
            maxAmount: (row["max_amount_cents"] as Int64?).map(Money.init(cents:)))
    }

    static func eventRecord(from row: Row) -> EventRecord {
        EventRecord(lotID: row["lot_id"], seq: row["seq"], json: row["payload"])
    }

    /// Appends an event to its lot's log. The caller has already moved `lots.seq`
    /// in the same transaction, so the numbers stay gapless.
    static func append(_ event: AuctionEvent, in db: Database) throws -> EventRecord {
        let record = event.record
        // Cached: the bid path runs this on every bid, and preparing a statement
        // (with GRDB's authorizer) cost more than running it.
        try db.cachedStatement(sql: "INSERT INTO events (lot_id, seq, type, payload, at_ms) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [
                record.lotID, record.seq, event.kind.typeName, record.json, Timestamp.milliseconds(event.at),
            ])
        return record
    }
}
