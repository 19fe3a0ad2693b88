/// Why the auction refused a request. Each case maps to one status code and a
/// sentence a person can act on; the server does that mapping.
public enum AuctionError: Error, Sendable, Equatable {
    case usernameTaken
    case lotNotFound
    case lotFinished
    /// The amount must be at least `minimum`.
    case bidTooLow(minimum: Money)
    case alreadyBid
    case noBidYet
    case ownLot
    case notOwner
    case cannotReopen
    /// The acting user's account does not exist (a token that outlived its account).
    case userNotFound
    /// Storage or broker cannot be reached right now; a retry may succeed.
    case unavailable(String)
}
