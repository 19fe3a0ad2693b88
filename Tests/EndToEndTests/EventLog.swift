import Foundation
import Testing

/// A lot's event log as `GET /lots/{id}/events` pages it, and the checks every crash test makes.
struct EventLog {
    struct Event: Sendable {
        let seq: Int64
        let type: String
        let bidder: String?
        let amount: Decimal?
        /// The server's automatic raise of a proxy bid.
        var auto = false
    }

    let events: [Event]

    static func read(_ node: ServerProcess, lot: Int64) async throws -> EventLog {
        var events: [Event] = []
        while true {
            var url = URLComponents(url: node.baseURL.appendingPathComponent("lots/\(lot)/events"), resolvingAgainstBaseURL: false)!
            url.queryItems = [URLQueryItem(name: "since", value: String(events.last?.seq ?? 0))]
            let page = try await HTTP.array(url.url!).map {
                Event(
                    seq: ($0["seq"] as? NSNumber)?.int64Value ?? -1, type: $0["type"] as? String ?? "",
                    bidder: $0["bidder"] as? String, amount: ($0["amount"] as? NSNumber)?.decimalValue,
                    auto: $0["auto"] as? Bool ?? false)
            }
            if page.isEmpty { return EventLog(events: events) }
            events += page
        }
    }

    var seqs: [Int64] { events.map(\.seq) }

    /// Every acknowledged bid is in the log exactly once, the seqs are 1...n without a
    /// gap, and the lot's price is at least the largest acknowledged bid.
    func expectHolds(_ acknowledged: [BidLoad.Outcome], price: Decimal?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(seqs == (0..<events.count).map { Int64($0) + 1 }, "seqs with a gap or twice: \(seqs)", sourceLocation: sourceLocation)
        var placed: [String: Int] = [:]
        for event in events where event.type == "bid_placed" {
            placed["\(event.bidder ?? "?") \(event.amount ?? -1)", default: 0] += 1
        }
        let missing = acknowledged.filter { placed["\($0.bidder) \(Decimal($0.amount))"] != 1 }
        #expect(missing.isEmpty, "\(missing.count) of \(acknowledged.count) acknowledged bids not in the log once: \(missing.prefix(5).map { "\($0.bidder) \($0.amount)" })", sourceLocation: sourceLocation)
        if let largest = acknowledged.map(\.amount).max() {
            #expect((price ?? 0) >= Decimal(largest), "price \(price ?? 0) below the acknowledged \(largest)", sourceLocation: sourceLocation)
        }
    }
}

extension ServerProcess {
    /// The lot's `highest_price`.
    func price(of lot: Int64) async throws -> Decimal? {
        let (_, body) = try await HTTP.request("GET", baseURL.appendingPathComponent("lots/\(lot)"))
        return (body["highest_price"] as? NSNumber)?.decimalValue
    }
}
