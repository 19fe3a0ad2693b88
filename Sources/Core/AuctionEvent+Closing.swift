import Foundation

extension AuctionEvent {
    /// The two events of a timed lot closing: finished, then its winner and price
    /// (none for a lot without bids, or one that closes below its reserve: then
    /// both `winner` and `amount` are null, as for a lot nobody bid on).
    /// `seq` is the lot's last seq before them.
    public static func closing(
        lotID: Int64, after seq: Int64, at: Date, winner: String?, highestPrice: Money, bidCount: Int,
        reservePrice: Money? = nil
    ) -> [AuctionEvent] {
        let won = bidCount > 0 && winner != nil && BiddingRules.meetsReserve(highestPrice, reservePrice)
        return [
            AuctionEvent(lotID: lotID, seq: seq + 1, at: at, kind: .statusChanged(.finished)),
            AuctionEvent(
                lotID: lotID, seq: seq + 2, at: at,
                kind: .closed(winner: won ? winner : nil, amount: won ? highestPrice : nil)),
        ]
    }
}
