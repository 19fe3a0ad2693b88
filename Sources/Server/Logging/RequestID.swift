import HTTPTypes

/// The id that ties a request's log lines to its response (`X-Request-Id`).
enum RequestID {
    static let header = HTTPField.Name("X-Request-Id")!

    /// The proxy's id when it is sane (1 to 128 visible ASCII characters, so it
    /// cannot break a log line), else a new one.
    static func of(_ request: HTTPRequest) -> String {
        if let given = request.headerFields[header], isSane(given) { return given }
        return make()
    }

    static func isSane(_ id: String) -> Bool {
        (1...128).contains(id.utf8.count) && id.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// 16 random hex digits: short, and unique enough to find one request's lines.
    static func make() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
