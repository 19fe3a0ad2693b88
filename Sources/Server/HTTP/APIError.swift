import AuctionCore
import HTTPTypes

/// An error answered as `{"detail": "..."}` with its status code.
struct APIError: Error {
    var status: HTTPResponse.Status
    var detail: String
    var headers: HTTPFields = [:]

    static func validation(_ field: String, _ problem: String) -> APIError {
        APIError(status: .unprocessableContent, detail: "\(field): \(problem)")
    }

    static func unauthorized(_ detail: String) -> APIError {
        APIError(status: .unauthorized, detail: detail, headers: [.wwwAuthenticate: "Bearer"])
    }

    static let lotNotFound = APIError(status: .notFound, detail: "Lot not found")
}

extension APIError {
    /// The API's answer to each refusal of the auction rules.
    init(_ error: AuctionError) {
        switch error {
        case .usernameTaken:
            self.init(status: .conflict, detail: "This username is already taken")
        case .lotNotFound:
            self = .lotNotFound
        case .lotFinished:
            self.init(status: .badRequest, detail: "Lot is finished: it no longer takes bids")
        case .bidTooLow(let minimum):
            self.init(
                status: .badRequest,
                detail: "Bid must be higher than the current highest price: at least \(minimum)")
        case .alreadyBid:
            self.init(
                status: .badRequest,
                detail: "You already have a bid on this lot: update it with PATCH instead")
        case .maximumBelowBid(let current):
            self.init(
                status: .badRequest,
                detail: "max_amount may not go below your visible bid: at least \(current)")
        case .noBidYet:
            self.init(status: .notFound, detail: "You have no bid on this lot yet: place one with POST first")
        case .ownLot:
            self.init(status: .forbidden, detail: "You cannot bid on your own lot")
        case .notOwner:
            self.init(status: .forbidden, detail: "Only the lot's owner can change its status")
        case .cannotReopen:
            self.init(status: .conflict, detail: "A finished lot cannot run again")
        case .userNotFound:
            self = .unauthorized("Could not validate credentials: the account no longer exists")
        case .unavailable(let what):
            self.init(status: .serviceUnavailable, detail: "Service temporarily unavailable (\(what)); retry shortly")
        }
    }
}

extension APIError {
    /// The answer to an error thrown outside the router (which has ErrorMiddleware):
    /// the API's and the auction's errors as they are, anything else a 500.
    init(answering error: any Error) {
        switch error {
        case let error as APIError: self = error
        case let error as AuctionError: self.init(error)
        default: self.init(status: .internalServerError, detail: "Internal server error")
        }
    }

    /// `{"detail": "..."}`, the body of every error.
    var body: String { "{\"detail\":\(JSONText.string(detail))}" }
}

extension APIError {
    /// Over a rate limit: 429 with `Retry-After` in whole seconds, at least 1.
    static func tooManyRequests(_ what: String, retryAfter wait: Duration) -> APIError {
        let parts = wait.components
        let seconds = max(1, parts.seconds + (parts.attoseconds > 0 ? 1 : 0))
        return APIError(
            status: .tooManyRequests, detail: "\(what): retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)])
    }
}
