import AuctionCore
import Foundation

/// `POST /lots`: a new lot's fields, validated; when it ends is settled against
/// the time of the request by `newLot(ownerID:now:)`.
struct NewLotInput: Decodable {
    static let maxTitle = 200
    static let maxDescription = 10_000
    /// A timed lot runs for at most a year.
    static let maxDuration: Int64 = 366 * 24 * 3600

    let title: String
    let description: String
    let startingPrice: Money
    let minIncrement: Money?
    let endsAt: String?
    let durationSeconds: Int64?
    let softCloseSeconds: Int64?
    let reservePrice: Money?
    let buyNowPrice: Money?
    let incrementRule: IncrementRule

    init(from decoder: any Decoder) throws {
        let fields = try decoder.container(keyedBy: CodingKeys.self)
        title = try fields.decode(String.self, forKey: .title)
        guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.validation("title", "must not be empty")
        }
        guard title.unicodeScalars.count <= Self.maxTitle else {  // code points, as JSON Schema counts
            throw APIError.validation("title", "must be at most \(Self.maxTitle) characters long")
        }
        description = try fields.decode(String.self, forKey: .description)
        guard description.unicodeScalars.count <= Self.maxDescription else {
            throw APIError.validation("description", "must be at most \(Self.maxDescription) characters long")
        }
        startingPrice = try fields.requiredMoney(.startingPrice)
        minIncrement = try fields.money(.minIncrement)
        endsAt = try fields.text(.endsAt).flatMap { $0.isEmpty ? nil : $0 }
        durationSeconds = try fields.integer(.durationSeconds, in: 1...Self.maxDuration)
        softCloseSeconds = try fields.integer(.softCloseSeconds, in: 0...86_400)
        reservePrice = try fields.money(.reservePrice)
        buyNowPrice = try fields.money(.buyNowPrice)
        incrementRule = try Self.incrementRule(fields.text(.incrementRule), minIncrement: minIncrement)
        try checkPrices()
    }

    private static func incrementRule(_ text: String?, minIncrement: Money?) throws -> IncrementRule {
        guard let text, !text.isEmpty else { return .fixed }
        guard let rule = IncrementRule(rawValue: text) else {
            throw APIError.validation("increment_rule", "must be fixed or ladder")
        }
        if rule == .ladder, minIncrement != nil {
            throw APIError.validation("min_increment", "cannot be given with increment_rule ladder, whose steps are fixed")
        }
        return rule
    }

    /// The starting price, the reserve and the buy-now price must rise in that order.
    private func checkPrices() throws {
        if let reservePrice, reservePrice < startingPrice {
            throw APIError.validation("reserve_price", "must be at least the starting price")
        }
        guard let buyNowPrice else { return }
        guard buyNowPrice > startingPrice else {
            throw APIError.validation("buy_now_price", "must be greater than the starting price")
        }
        if let reservePrice, buyNowPrice <= reservePrice {
            throw APIError.validation("buy_now_price", "must be greater than the reserve price")
        }
    }

    enum CodingKeys: String, CodingKey {
        case title, description
        case startingPrice = "starting_price"
        case minIncrement = "min_increment"
        case endsAt = "ends_at"
        case durationSeconds = "duration_seconds"
        case softCloseSeconds = "soft_close_seconds"
        case reservePrice = "reserve_price"
        case buyNowPrice = "buy_now_price"
        case incrementRule = "increment_rule"
    }

    func newLot(ownerID: Int64, now: Date) throws -> NewLot {
        let endsAt = try self.endsAt(now: now)
        var softClose: Int?
        if let seconds = softCloseSeconds, seconds > 0 {
            guard endsAt != nil else {
                throw APIError.validation("soft_close_seconds", "needs ends_at or duration_seconds")
            }
            softClose = Int(seconds)
        }
        return NewLot(
            title: title, description: description, startingPrice: startingPrice, ownerID: ownerID,
            endsAt: endsAt, minIncrement: minIncrement ?? .cent, softCloseSeconds: softClose,
            reservePrice: reservePrice, buyNowPrice: buyNowPrice, incrementRule: incrementRule)
    }

    private func endsAt(now: Date) throws -> Date? {
        switch (endsAt, durationSeconds) {
        case (nil, nil):
            return nil
        case (.some, .some):
            throw APIError.validation("ends_at", "give either ends_at or duration_seconds, not both")
        case (nil, .some(let seconds)):
            return Timestamp.truncated(now.addingTimeInterval(TimeInterval(seconds)))
        case (.some(let text), nil):
            guard let date = Timestamp.parse(text) else {
                throw APIError.validation("ends_at", "must be an RFC 3339 time such as 2030-01-01T12:00:00Z")
            }
            guard date > now else { throw APIError.validation("ends_at", "must be in the future") }
            guard date.timeIntervalSince(now) <= TimeInterval(Self.maxDuration) else {
                throw APIError.validation("ends_at", "must be at most a year ahead")
            }
            return Timestamp.truncated(date)
        }
    }
}
