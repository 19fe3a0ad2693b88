import AuctionCore
import Foundation

/// A lot on a fresh server, its owner and a bidder: what every scale run starts
/// from. Each call opens its own connection: the runs idle for longer than the
/// server keeps an idle connection open while they connect their sockets.
struct ScaleLot: Sendable {
    let bidder: BenchAccount
    let lotID: Int64
    let api: ServerAddress

    static func create(on api: ServerAddress) async throws -> ScaleLot {
        let prefix = Accounts.runPrefix()
        let owner = try await Accounts.register(count: 1, prefix: prefix + "-owner", server: api)[0]
        let bidder = try await Accounts.register(count: 1, prefix: prefix, server: api)[0]
        let lotID = try await withAPI(api) {
            try await $0.createLot(token: owner.token, title: "scale", startingPrice: BidRun.startingPrice)
        }
        return ScaleLot(bidder: bidder, lotID: lotID, api: api)
    }

    /// The lot's last event number now.
    func seq() async throws -> Int64 {
        try await Self.withAPI(api) { [lotID] in try await $0.lot(id: lotID).seq }
    }

    /// Places the bidder's first bid (`raise` false) or raises it; returns when
    /// it was sent and the bid.
    func bid(raise: Bool = false) async throws -> (sent: UInt64, bid: AcceptedBid) {
        try await Self.withAPI(api) { [lotID, bidder] admin in
            let lot = try await admin.lot(id: lotID)
            let amount = Money(cents: lot.minimumNext)
            let sent = MonotonicClock.nanoseconds()
            let response = try await admin.bid(
                token: bidder.token, lotID: lotID, amount: amount, mode: raise ? .raise : .create)
            guard response.status == 200 || response.status == 201 else {
                throw AuctionAPI.failure("bid on lot \(lotID)", response)
            }
            return (sent, AcceptedBid(lotID: lotID, bidder: bidder.username, cents: amount.cents))
        }
    }

    /// Audits the members against the lot's last seq, latency from each bid's sending.
    func audit(_ members: [ScaleSubscriber], sent: [AcceptedBid: UInt64]) async throws -> EventAudit {
        var audit = EventAudit()
        let lastSeq = try await seq()
        for member in members { audit.checkSubscriber(member, lastSeq: lastSeq, acceptedAt: sent) }
        return audit
    }

    private static func withAPI<T: Sendable>(
        _ api: ServerAddress, _ body: @Sendable (AuctionAPI) async throws -> T
    ) async throws -> T {
        let connection = try await HTTPConnection.connect(host: api.host, port: api.port)
        do {
            let result = try await body(AuctionAPI(connection: connection))
            await connection.close()
            return result
        } catch {
            await connection.close()
            throw error
        }
    }
}
