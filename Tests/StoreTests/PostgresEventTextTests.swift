import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// The events a PostgreSQL store writes in SQL are byte for byte Core's `AuctionEvent.json`.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL event text")
struct PostgresEventTextTests {
    @Test(
        "stored events are byte for byte AuctionEvent.json",
        arguments: ["plain", "q\"uo\\te\n\t\r", "ctl\u{1}\u{8}\u{c}\u{1f}", "é😀\u{2028}</script>"]
    )
    func eventTextIsCoreText(bidderName: String) async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser(bidderName)
            let now = Date(timeIntervalSince1970: 1_764_387_657.1239)
            let lot = try await store.makeLot(
                owner: owner, startingCents: 1000, endsAt: now.addingTimeInterval(5), softCloseSeconds: 30, now: now
            )
            let at = Timestamp.truncated(now)
            let first = try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 1250), mode: .create, now: now
            )
            let raised = try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 1305), mode: .raise, now: now
            )
            let finished = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            let expected = [
                AuctionEvent(lotID: lot.id, seq: 1, at: at, kind: .bidPlaced(bidder: bidderName, amount: Money(cents: 1250))),
                AuctionEvent(lotID: lot.id, seq: 2, at: at, kind: .extended(endsAt: Timestamp.date(milliseconds: Timestamp.milliseconds(at) + 30_000))),
                AuctionEvent(lotID: lot.id, seq: 3, at: at, kind: .bidPlaced(bidder: bidderName, amount: Money(cents: 1305))),
                AuctionEvent(lotID: lot.id, seq: 4, at: at, kind: .statusChanged(.finished)),
            ].map(\.record)
            #expect(first.events + raised.events + finished.lotEvents == expected)
            #expect(try await store.events(lotID: lot.id, since: 0, limit: 100) == expected)
            #expect(try await store.lot(id: lot.id)?.seq == 4)
        }
    }
}
