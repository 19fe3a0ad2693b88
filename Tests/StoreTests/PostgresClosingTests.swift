import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// Status changes and the closing of timed lots on PostgreSQL, with concurrent closers in two stores.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL status and closing")
struct PostgresClosingTests {
    @Test("setStatus: owner only, no reopening, same status changes nothing")
    func setStatusRules() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let other = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner)
            let now = Date()
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id + 99, status: .finished, by: owner.id, now: now) } == .lotNotFound)
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id, status: .finished, by: other.id, now: now) } == .notOwner)
            #expect(try await store.setStatus(lotID: lot.id, status: .running, by: owner.id, now: now) == [])
            #expect(try await store.lot(id: lot.id)?.seq == 0)
            let events = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            #expect(events.map(\.seq) == [1])
            #expect(try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now) == [])
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id, status: .running, by: owner.id, now: now) } == .cannotReopen)
            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.status == .finished)
            #expect(after.seq == 1)
        }
    }

    @Test("expired lots are closed exactly once by concurrent closers in two stores")
    func closeExpiredConcurrently() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser("win\"ner")
            let created = Date().addingTimeInterval(-100)
            var lots: [Lot] = []
            for index in 0..<20 {
                let lot = try await store.makeLot(owner: owner, endsAt: created.addingTimeInterval(50), now: created)
                if index.isMultiple(of: 2) {
                    _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 150 + Int64(index)), mode: .create, now: created)
                }
                lots.append(lot)
            }
            let open = try await store.makeLot(owner: owner, endsAt: Date().addingTimeInterval(3600))
            let now = Date()
            let records = try await withSecondPostgresStore(sharing: store) { other in
                try await withThrowingTaskGroup(of: [EventRecord].self) { group in
                    for index in 0..<6 {
                        let closer = index.isMultiple(of: 2) ? store : other
                        group.addTask { try await closer.closeExpiredLots(now: now, limit: 7) }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            // Six calls of at most 7 lots each can cover all 20 only if none is taken twice.
            #expect(records.lotEvents.count == 40)
            // The winners' `won`, once each, whichever closer took the lot.
            #expect(records.count - records.lotEvents.count == 10)
            #expect(Set(records.map(\.lotID)) == Set(lots.map(\.id)))
            #expect(try await store.closeExpiredLots(now: now, limit: 100) == [])
            let at = Timestamp.truncated(now)
            for (index, lot) in lots.enumerated() {
                let hasWinner = index.isMultiple(of: 2)
                let seq: Int64 = hasWinner ? 1 : 0
                let expected = [
                    AuctionEvent(lotID: lot.id, seq: seq + 1, at: at, kind: .statusChanged(.finished)),
                    AuctionEvent(
                        lotID: lot.id, seq: seq + 2, at: at,
                        kind: .closed(winner: hasWinner ? bidder.username : nil, amount: hasWinner ? Money(cents: 150 + Int64(index)) : nil)
                    ),
                ].map(\.record)
                #expect(try await store.events(lotID: lot.id, since: seq, limit: 10) == expected)
                #expect(records.lotEvents.filter { $0.lotID == lot.id } == expected)
                #expect(try await store.lot(id: lot.id)?.status == .finished)
            }
            #expect(try await store.lot(id: open.id)?.status == .running)
        }
    }
}
