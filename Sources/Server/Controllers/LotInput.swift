import AuctionCore
import Foundation

/// Validation of the fields of `POST /lots`.
enum LotInput {
    static let maxTitle = 200
    static let maxDescription = 10_000
    /// A timed lot runs for at most a year.
    static let maxDuration: Int64 = 366 * 24 * 3600

    static func newLot(_ fields: RequestFields, ownerID: Int64, now: Date) throws -> NewLot {
        let title = try fields.requiredText("title")
        guard !title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw APIError.validation("title", "must not be empty")
        }
        guard title.unicodeScalars.count <= maxTitle else {  // code points, as JSON Schema counts
            throw APIError.validation("title", "must be at most \(maxTitle) characters long")
        }
        let description = try fields.requiredText("description")
        guard description.unicodeScalars.count <= maxDescription else {
            throw APIError.validation("description", "must be at most \(maxDescription) characters long")
        }
        let startingPrice = try fields.requiredMoney("starting_price")
        let minIncrement = try fields.money("min_increment") ?? .cent
        let endsAt = try self.endsAt(fields, now: now)
        var softClose: Int?
        if let seconds = try fields.integer("soft_close_seconds", in: 0...86_400), seconds > 0 {
            guard endsAt != nil else {
                throw APIError.validation("soft_close_seconds", "needs ends_at or duration_seconds")
            }
            softClose = Int(seconds)
        }
        return NewLot(
            title: title, description: description, startingPrice: startingPrice, ownerID: ownerID,
            endsAt: endsAt, minIncrement: minIncrement, softCloseSeconds: softClose)
    }

    private static func endsAt(_ fields: RequestFields, now: Date) throws -> Date? {
        let endsAtText = try fields.text("ends_at").flatMap { $0.isEmpty ? nil : $0 }
        let duration = try fields.integer("duration_seconds", in: 1...maxDuration)
        switch (endsAtText, duration) {
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
            guard date.timeIntervalSince(now) <= TimeInterval(maxDuration) else {
                throw APIError.validation("ends_at", "must be at most a year ahead")
            }
            return Timestamp.truncated(date)
        }
    }
}
