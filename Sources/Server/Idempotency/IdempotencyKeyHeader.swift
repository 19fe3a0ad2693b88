import HTTPTypes

/// The `Idempotency-Key` request header and the `Idempotent-Replayed` answer header.
enum IdempotencyKeyHeader {
    static let name = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!
    static let maximumLength = 255

    /// The request's key, nil without the header. A bad one is a 422 naming what is wrong.
    static func key(in headers: HTTPFields) throws(APIError) -> String? {
        let values = headers[values: name]
        guard let value = values.first else { return nil }
        guard values.count == 1 else { throw problem("give it once, not \(values.count) times") }
        guard !value.isEmpty else { throw problem("must not be empty") }
        guard value.utf8.count <= maximumLength else {
            throw problem("must be at most \(maximumLength) characters, not \(value.utf8.count)")
        }
        // Printable ASCII: space to tilde.
        guard value.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
            throw problem("must be printable ASCII characters only")
        }
        return value
    }

    private static func problem(_ text: String) -> APIError {
        APIError(status: .unprocessableContent, detail: "Idempotency-Key: \(text)")
    }
}
