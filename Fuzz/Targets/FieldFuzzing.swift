import AuctionCore
@testable import AuctionServer
import Foundation

/// Bodies, queries and money: every input is read, or refused with an error the
/// API answers as a 4xx (`APIError`); anything else would be a 500.
enum FieldFuzzing {
    static func money(_ text: String) {
        guard let money = try? Money(parsing: text) else { return }
        // What was accepted is in range and reads back as itself.
        precondition(money.cents >= 0 && money <= Money.maximum, "\(text) read as \(money)")
        precondition((try? Money(parsing: money.description)) == money, "\(text): \(money) does not read back")
    }

    static func body(_ text: String, contentType: String) {
        refusedAs4xx { _ = try RequestFields(body: text, contentType: contentType) }
        guard let fields = try? RequestFields(body: text, contentType: contentType) else { return }
        refusedAs4xx { _ = try NewLotInput(from: FieldsDecoder(fields: fields)).newLot(ownerID: 1, now: Date()) }
        refusedAs4xx { _ = try BidInput(from: FieldsDecoder(fields: fields)) }
        refusedAs4xx { _ = try RegistrationInput(from: FieldsDecoder(fields: fields)) }
    }

    static func socketTarget(_ text: String) {
        refusedAs4xx {
            let request = try LotSocketRequest(target: text)
            precondition(request.lotID > 0 && (request.since ?? 0) >= 0, "\(text) read as \(request)")
        }
    }

    private static func refusedAs4xx(_ body: () throws -> Void) {
        do {
            try body()
        } catch let error as APIError {
            precondition((400..<500).contains(error.status.code), "\(error)")
        } catch {
            preconditionFailure("not an API error (a 500): \(String(reflecting: error))")
        }
    }
}
