import AuctionCore
import Foundation
import Testing

@Suite("User event rules")
struct UserEventRulesTests {
    static let at = Date(timeIntervalSince1970: 1_700_000_000)
    static let ann = LotBidder(id: 1, username: "ann")
    static let bob = LotBidder(id: 2, username: "bob")
    static let cid = LotBidder(id: 3, username: "cid")

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let events: [AuctionEvent.Kind]
        let leaderBefore: Int64?
        let leaderAfter: Int64?
        let price: Int64
        let bidders: [LotBidder]
        let expected: [(Int64, UserEvent.Kind)]
        var reserve: Int64? = nil
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "a first bid tells no one", events: [.bidPlaced(bidder: "ann", amount: Money(cents: 1100))],
             leaderBefore: nil, leaderAfter: 1, price: 1100, bidders: [ann], expected: []),
        Case(name: "a leader raising their own bid tells no one",
             events: [.bidPlaced(bidder: "ann", amount: Money(cents: 1200))],
             leaderBefore: 1, leaderAfter: 1, price: 1200, bidders: [ann], expected: []),
        Case(name: "taking the lead tells the leader before, with the price and who",
             events: [.bidPlaced(bidder: "bob", amount: Money(cents: 1300)), .extended(endsAt: at)],
             leaderBefore: 1, leaderAfter: 2, price: 1300, bidders: [bob],
             expected: [(1, .outbid(amount: Money(cents: 1300), by: "bob"))]),
        Case(name: "a status change alone is no one's event", events: [.statusChanged(.running)],
             leaderBefore: 1, leaderAfter: 1, price: 1300, bidders: [ann, bob], expected: []),
        Case(name: "a closing with a winner: won for the winner, lost for every other bidder by id",
             events: [.statusChanged(.finished), .closed(winner: "bob", amount: Money(cents: 1500))],
             leaderBefore: 2, leaderAfter: 2, price: 1500, bidders: [cid, bob, ann],
             expected: [
                (2, .won(amount: Money(cents: 1500))),
                (1, .lost(winner: "bob", amount: Money(cents: 1500))),
                (3, .lost(winner: "bob", amount: Money(cents: 1500))),
             ]),
        Case(name: "a closing without a winner: lost for every bidder",
             events: [.statusChanged(.finished), .closed(winner: nil, amount: nil)],
             leaderBefore: 1, leaderAfter: 1, price: 1500, bidders: [ann, bob],
             expected: [(1, .lost(winner: nil, amount: nil)), (2, .lost(winner: nil, amount: nil))]),
        Case(name: "an owner's finish (no lot_closed): the leader wins at the price",
             events: [.statusChanged(.finished)], leaderBefore: 1, leaderAfter: 1, price: 1700, bidders: [ann, bob],
             expected: [(1, .won(amount: Money(cents: 1700))), (2, .lost(winner: "ann", amount: Money(cents: 1700)))]),
        Case(name: "an owner's finish below the reserve: no winner, lost for every bidder",
             events: [.statusChanged(.finished)], leaderBefore: 1, leaderAfter: 1, price: 1700, bidders: [ann, bob],
             expected: [(1, .lost(winner: nil, amount: nil)), (2, .lost(winner: nil, amount: nil))], reserve: 2000),
        Case(name: "an owner's finish at the reserve: the leader wins",
             events: [.statusChanged(.finished)], leaderBefore: 1, leaderAfter: 1, price: 2000, bidders: [ann],
             expected: [(1, .won(amount: Money(cents: 2000)))], reserve: 2000),
        Case(name: "the leader's automatic raise: auto_bid for the leader, no outbid",
             events: [.bidPlaced(bidder: "bob", amount: Money(cents: 2000)),
                      .bidPlaced(bidder: "ann", amount: Money(cents: 2100), auto: true)],
             leaderBefore: 1, leaderAfter: 1, price: 2100, bidders: [bob, ann],
             expected: [(1, .autoBid(amount: Money(cents: 2100)))]),
        Case(name: "a lot without bids finishing tells no one", events: [.statusChanged(.finished)],
             leaderBefore: nil, leaderAfter: nil, price: 1000, bidders: [], expected: []),
    ]

    @Test("which users hear of a change", arguments: cases)
    func derive(_ test: Case) {
        let drafts = UserEventRules.userEvents(
            lotID: 9, at: Self.at, events: test.events, leaderBefore: test.leaderBefore,
            leaderAfter: test.leaderAfter, price: Money(cents: test.price), bidders: test.bidders,
            reserve: test.reserve.map(Money.init(cents:)))
        #expect(drafts == test.expected.map { UserEventDraft(userID: $0.0, lotID: 9, at: Self.at, kind: $0.1) })
    }

    @Test("the JSON: type and lot_id first, the kind's fields, then seq and at; the parts join to it")
    func json() throws {
        let stamp = Timestamp.format(Self.at)
        let expected: [(UserEvent.Kind, String)] = [
            (.outbid(amount: Money(cents: 1250), by: "bob"), #""type":"outbid","lot_id":9,"amount":12.5,"by":"bob""#),
            (.autoBid(amount: Money(cents: 1300)), #""type":"auto_bid","lot_id":9,"amount":13"#),
            (.won(amount: Money(cents: 1400)), #""type":"won","lot_id":9,"amount":14"#),
            (.lost(winner: "ann", amount: Money(cents: 1400)), #""type":"lost","lot_id":9,"winner":"ann","amount":14"#),
            (.lost(winner: nil, amount: nil), #""type":"lost","lot_id":9,"winner":null,"amount":null"#),
        ]
        for (kind, fields) in expected {
            let event = UserEvent(userID: 4, lotID: 9, seq: 12, at: Self.at, kind: kind)
            #expect(event.json == "{\(fields),\"seq\":12,\"at\":\"\(stamp)\"}")
            #expect(UserEvent.jsonParts(lotID: 9, at: Self.at, kind: kind).json(seq: 12) == event.json)
            #expect(event.record == EventRecord(stream: .user(4), lotID: 9, seq: 12, json: event.json))
            #expect(EventRecord(json: event.json, stream: .user(4)) == event.record)
        }
    }
}
