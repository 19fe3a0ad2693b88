import AuctionCore
import Hummingbird

extension StoredResponse {
    /// A JSON answer as a key keeps it.
    init(json: String, status: HTTPResponse.Status) {
        self.init(status: status.code, body: json)
    }

    /// The refusal kept for a key: the API's and the auction's 4xx answers, rendered
    /// as ErrorMiddleware renders them. Nil for the rest (5xx, an unavailable store, a
    /// shutdown, a lost claim), which is never kept: a retry runs again.
    init?(refusal error: any Error) {
        guard error is APIError || error is AuctionError else { return nil }
        let answer = APIError(answering: error)
        guard (400..<500).contains(answer.status.code) else { return nil }
        self.init(status: answer.status.code, body: answer.body)
    }

    /// The answer to the request that made the effect, and to every replay of it.
    func response(replayed: Bool = false) -> Response {
        JSONResponse.raw(body, status: HTTPResponse.Status(code: status), headers: replayed ? [IdempotencyKeyHeader.replayed: "true"] : [:])
    }
}

extension AppRequestContext {
    /// What to hand the store call that makes this request's effect: nil without a key.
    func idempotentRecording<Outcome: Sendable>(
        _ render: @escaping @Sendable (Outcome) -> StoredResponse
    ) -> IdempotentRecording<Outcome>? {
        idempotencyClaim.map { IdempotentRecording(claim: $0, render: render) }
    }
}
