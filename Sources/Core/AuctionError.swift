/// Why the auction refused a request. Each case maps to one status code and a
/// sentence a person can act on; the server does that mapping.
public enum AuctionError: Error, Sendable, Equatable {
    case usernameTaken
    case lotNotFound
    case lotFinished
    /// The amount must be at least `minimum`.
    case bidTooLow(minimum: Money)
    case alreadyBid
    /// A maximum changed alone may not go below the bidder's visible bid, `current`.
    case maximumBelowBid(current: Money)
    case noBidYet
    case ownLot
    case notOwner
    case cannotReopen
    /// The acting user's account does not exist (a token that outlived its account).
    case userNotFound
    /// Storage or broker cannot be reached right now; a retry may succeed.
    case unavailable(String)
}

extension AuctionError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .usernameTaken: "username taken"
        case .lotNotFound: "lot not found"
        case .lotFinished: "lot finished"
        case .bidTooLow(let minimum): "bid too low: at least \(minimum)"
        case .alreadyBid: "already has a bid on this lot"
        case .maximumBelowBid(let current): "maximum below the visible bid \(current)"
        case .noBidYet: "no bid on this lot yet"
        case .ownLot: "bid on own lot"
        case .notOwner: "not the lot's owner"
        case .cannotReopen: "a finished lot cannot run again"
        case .userNotFound: "user not found"
        case .unavailable(let what): "unavailable: \(what)"
        }
    }
}
