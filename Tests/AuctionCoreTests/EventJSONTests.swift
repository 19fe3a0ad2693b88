import AuctionCore
import Foundation
import Testing

@Suite("Event JSON")
struct EventJSONTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000.5)
    static let kinds: [AuctionEvent.Kind] = [
        .bidPlaced(bidder: "a\",\"seq\":0,\"", amount: Money(cents: 1)), .bidPlaced(bidder: "b", amount: Money(cents: 12_345)),
        .statusChanged(.finished), .statusChanged(.running), .extended(endsAt: at),
        .closed(winner: nil, amount: nil), .closed(winner: "w", amount: Money(cents: 10)),
        .bidPlaced(bidder: "c", amount: Money(cents: 2_100), auto: true),
    ]

    @Test("the parts around seq, joined with any number, are the event's full JSON, for every kind")
    func partsMatchFullRendering() {
        for kind in Self.kinds {
            let parts = AuctionEvent.jsonParts(lotID: 42, at: Self.at, kind: kind)
            for seq: Int64 in [0, 1, 9, 10, 12_345_678_901] {
                #expect(parts.json(seq: seq) == AuctionEvent(lotID: 42, seq: seq, at: Self.at, kind: kind).json)
            }
        }
    }

    @Test("the JSON is one object: type and lot_id first, the kind's fields, then seq and at")
    func fieldOrder() throws {
        let event = AuctionEvent(lotID: 7, seq: 3, at: Self.at, kind: .bidPlaced(bidder: "ann", amount: Money(cents: 1250)))
        #expect(event.json == #"{"type":"bid_placed","lot_id":7,"bidder":"ann","amount":12.5,"seq":3,"at":"\#(Timestamp.format(Self.at))"}"#)
        let closed = AuctionEvent(lotID: 7, seq: 4, at: Self.at, kind: .closed(winner: nil, amount: nil))
        let object = try #require(JSONSerialization.jsonObject(with: Data(closed.json.utf8)) as? [String: Any])
        #expect(object["winner"] is NSNull && object["amount"] is NSNull && object["seq"] as? Int == 4)
        #expect(EventRecord(json: closed.json) == closed.record)
    }

    @Test("an automatic raise is a bid_placed with \"auto\": true after at; any other bid has no auto field")
    func automaticRaise() {
        let auto = AuctionEvent(
            lotID: 7, seq: 3, at: Self.at, kind: .bidPlaced(bidder: "ann", amount: Money(cents: 21_00), auto: true))
        #expect(auto.json == #"{"type":"bid_placed","lot_id":7,"bidder":"ann","amount":21,"seq":3,"at":"\#(Timestamp.format(Self.at))","auto":true}"#)
        let placed = AuctionEvent(lotID: 7, seq: 3, at: Self.at, kind: .bidPlaced(bidder: "ann", amount: Money(cents: 21_00)))
        #expect(!placed.json.contains("auto"))
    }

    @Test("closing below the reserve names no winner and no amount; at the reserve it names both")
    func closingReserve() {
        let below = AuctionEvent.closing(
            lotID: 7, after: 4, at: Self.at, winner: "ann", highestPrice: Money(cents: 99_99), bidCount: 2,
            reservePrice: Money(cents: 100_00))
        #expect(below.map(\.kind) == [.statusChanged(.finished), .closed(winner: nil, amount: nil)])
        #expect(below.map(\.seq) == [5, 6])
        let met = AuctionEvent.closing(
            lotID: 7, after: 4, at: Self.at, winner: "ann", highestPrice: Money(cents: 100_00), bidCount: 2,
            reservePrice: Money(cents: 100_00))
        #expect(met.last?.kind == .closed(winner: "ann", amount: Money(cents: 100_00)))
    }
}
