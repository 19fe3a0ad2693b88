import Foundation

/// A form request with an `Idempotency-Key`, sent on a connection of its own (a
/// plain socket: Foundation's URLSession crashed the test process under fifty
/// concurrent requests), so that concurrent requests reach the server at once; and
/// what it answered.
public struct KeyedReply: Sendable {
    public let status: Int
    /// Whether the answer came with `Idempotent-Replayed: true`.
    public let replayed: Bool
    public let body: String

    public static func send(
        port: Int, method: String, path: String, form: String, token: String? = nil, key: String
    ) async throws -> KeyedReply {
        // 50 of these at once each take the store's single writer (a claim) on a
        // machine running the whole suite: 10 s was once too short there.
        let connection = try LocalSocket.Connection(port: port, receiveTimeout: 120)
        let authorization = token.map { "Authorization: Bearer \($0)\r\n" } ?? ""
        try await connection.send(
            "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\(authorization)"
                + "Idempotency-Key: \(key)\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: \(form.utf8.count)\r\n\r\n\(form)")
        let response = try await connection.readResponse()
        let lines = response.head.split(separator: "\r\n")
        let status = lines.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        let replayed = lines.contains { $0.lowercased() == "idempotent-replayed: true" }
        return KeyedReply(status: status, replayed: replayed, body: response.body)
    }
}
