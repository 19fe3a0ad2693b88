import AuctionCore
import Foundation
import Testing

extension BrokerConformanceTests {
    @Test("a user's own events arrive in the user's stream, apart from the lot's", arguments: BrokerBackend.allCases)
    func userStream(_ backend: BrokerBackend) async throws {
        try await H.withRunningBroker(backend.makeBroker()) { broker in
            let stream = await broker.subscribe()
            try await H.waitUntilDelivering(from: broker, to: [stream])
            let lot = H.uniqueLot()
            let user = H.uniqueLot()
            let at = Date(timeIntervalSince1970: 1_800_000_000)
            let own = (1...3).map {
                UserEvent(userID: user, lotID: lot, seq: Int64($0), at: at, kind: .outbid(amount: Money(cents: 1_000), by: "bob")).record
            }
            let events = [H.event(lot: lot, seq: 1)] + own + [H.event(lot: lot, seq: 2)]
            for event in events { try await broker.publish(event) }
            let received = try await H.collect(stream, lots: [lot], count: events.count)
            #expect(received.filter { $0.stream == .user(user) } == own)
            #expect(received.filter { $0.stream == .lot(lot) }.map(\.seq) == [1, 2])
        }
    }
}
