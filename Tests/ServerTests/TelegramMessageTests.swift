import AuctionCore
@testable import AuctionServer
import Foundation
import Testing

@Suite("Telegram messages")
struct TelegramMessageTests {
    static let at = Date(timeIntervalSince1970: 1_796_000_000)

    static func text(_ kind: AuctionEvent.Kind, title: String? = "Blue teapot") -> String {
        TelegramMessage.text(for: AuctionEvent(lotID: 7, seq: 3, at: at, kind: kind).record, title: title)
    }

    @Test("one line per event type: lot title, who, amount, status")
    func onePerType() {
        #expect(Self.text(.bidPlaced(bidder: "bob", amount: Money(cents: 12_50))) == "Blue teapot (lot 7): bob bid 12.50")
        #expect(
            Self.text(.bidPlaced(bidder: "alice", amount: Money(cents: 21_05), auto: true))
                == "Blue teapot (lot 7): alice raised automatically to 21.05")
        #expect(Self.text(.statusChanged(.finished)) == "Blue teapot (lot 7): now finished")
        #expect(Self.text(.statusChanged(.running)) == "Blue teapot (lot 7): now running")
        #expect(
            Self.text(.extended(endsAt: Self.at))
                == "Blue teapot (lot 7): a late bid extended it to \(Timestamp.format(Self.at))")
        #expect(
            Self.text(.closed(winner: "carol", amount: Money(cents: 80_00)))
                == "Blue teapot (lot 7): closed, won by carol for 80.00")
        #expect(Self.text(.closed(winner: nil, amount: nil)) == "Blue teapot (lot 7): closed without a winner")
    }

    @Test("a title is one short line; a missing lot is named by its id")
    func titles() {
        #expect(Self.text(.statusChanged(.finished), title: "Two\nlines") == "Two lines (lot 7): now finished")
        let long = Self.text(.statusChanged(.finished), title: String(repeating: "t", count: 5000))
        #expect(long.count == TelegramMessage.titleLimit + 1 + " (lot 7): now finished".count)
        #expect(Self.text(.statusChanged(.finished), title: nil) == "Lot (lot 7): now finished")
        #expect(!Self.text(.bidPlaced(bidder: "bob", amount: .cent)).contains("\n"))
    }

    @Test("nothing secret: a maximum or a reserve in the JSON is never shown")
    func noSecrets() {
        // Even were a store to write them into an event, the message shows only the public fields.
        let json = #"{"type":"bid_placed","lot_id":7,"bidder":"bob","amount":12.5,"max_amount":99.99,"reserve_price":77.77,"seq":3,"at":"2026-12-01T00:00:00.000Z"}"#
        let text = TelegramMessage.text(for: EventRecord(lotID: 7, seq: 3, json: json), title: "Teapot")
        #expect(text == "Teapot (lot 7): bob bid 12.50")
        #expect(!text.contains("99") && !text.contains("77"))
    }
}
