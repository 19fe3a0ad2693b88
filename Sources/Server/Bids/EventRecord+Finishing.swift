import AuctionCore

extension EventRecord {
    /// Whether the event ends its lot: `lot_closed`, or `lot_status_changed` (a lot
    /// only ever changes from running to finished). Told by the JSON's first field
    /// (`AuctionEvent.json` writes `type` first) so that no event is parsed for it.
    var finishesLot: Bool {
        guard stream == .lot(lotID) else { return false }
        return json.hasPrefix(#"{"type":"lot_closed""#) || json.hasPrefix(#"{"type":"lot_status_changed""#)
    }
}
