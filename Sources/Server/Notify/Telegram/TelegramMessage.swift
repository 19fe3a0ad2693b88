import AuctionCore
import Foundation

/// A lot event as one readable line of a Telegram message: the lot's title, who,
/// the amount, the status. It is made from the event's public JSON (what every
/// watcher of the lot sees), so no maximum, reserve or other secret can be in it.
enum TelegramMessage {
    /// The fields of the event JSON a message shows.
    private struct Fields: Decodable {
        let type: String
        let bidder: String?
        let amount: Money?
        let status: String?
        let ends_at: String?
        let winner: String?
        let auto: Bool?
    }

    /// Titles are the owner's text: one line, and short enough for Telegram's 4096 characters.
    static let titleLimit = 200

    /// The line for `event` of the lot titled `title` (nil when the lot is not found).
    static func text(for event: EventRecord, title: String?) -> String {
        let lot = "\(shortened(title ?? "Lot")) (lot \(event.lotID))"
        guard let fields = try? JSONDecoder().decode(Fields.self, from: Data(event.json.utf8)) else {
            return "\(lot): event \(event.seq)"
        }
        return "\(lot): \(happening(fields))"
    }

    private static func happening(_ fields: Fields) -> String {
        switch fields.type {
        case "bid_placed":
            let who = fields.bidder ?? "someone"
            let amount = fields.amount.map(written) ?? "?"
            return fields.auto == true ? "\(who) raised automatically to \(amount)" : "\(who) bid \(amount)"
        case "lot_status_changed":
            return "now \(fields.status ?? "changed")"
        case "lot_extended":
            return "a late bid extended it to \(fields.ends_at ?? "later")"
        case "lot_closed":
            guard let winner = fields.winner else { return "closed without a winner" }
            return "closed, won by \(winner) for \(fields.amount.map(written) ?? "?")"
        default:
            return fields.type
        }
    }

    /// Money with two decimals, as a price is read: `12.50`.
    static func written(_ money: Money) -> String {
        let cents = money.cents
        let fraction = cents % 100
        return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    private static func shortened(_ title: String) -> String {
        let line = title.split(whereSeparator: \.isNewline).joined(separator: " ")
        return line.count > titleLimit ? String(line.prefix(titleLimit)) + "…" : line
    }
}
