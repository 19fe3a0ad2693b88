import Foundation

extension AuctionEvent {
    /// The two events of a timed lot closing: finished, then its winner and price
    /// (none for a lot without bids). `seq` is the lot's last seq before them.
    public static func closing(
        lotID: Int64, after seq: Int64, at: Date, winner: String?, highestPrice: Money, bidCount: Int
    ) -> [AuctionEvent] {
        let won = bidCount > 0 && winner != nil
        return [
            AuctionEvent(lotID: lotID, seq: seq + 1, at: at, kind: .statusChanged(.finished)),
            AuctionEvent(
                lotID: lotID, seq: seq + 2, at: at,
                kind: .closed(winner: won ? winner : nil, amount: won ? highestPrice : nil)),
        ]
    }
}
