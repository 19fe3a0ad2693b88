import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A Telegram Bot API stand-in on 127.0.0.1: `POST /bot{token}/sendMessage`,
/// answered as `answer` says for each request, and every message it accepted
/// (200) kept in order.
final class FakeTelegram: Sendable {
    enum Answer: Sendable {
        case ok
        /// Another status, with the Bot API's JSON body.
        case status(Int, description: String, retryAfter: Int? = nil)
        /// No answer until the client has given up and sent its next request
        /// (an ordering, not a guess of the client's timeout), then a 500: the
        /// message not taken.
        case silence
    }

    struct Request: Sendable {
        let path: String
        let chatID: String?
        let text: String
        let at: ContinuousClock.Instant
        /// What was answered (`silence` counts as 500).
        let status: Int
    }

    private struct State {
        var requests: [Request] = []
        var delivered: [String] = []
    }

    private struct Message: Decodable {
        let chat_id: String?
        let text: String
    }

    private let state = Mutex(State())
    /// The answer to the request numbered `n` (1, 2, ...) carrying `text`.
    private let answer: @Sendable (_ n: Int, _ text: String) -> Answer

    init(answer: @escaping @Sendable (_ n: Int, _ text: String) -> Answer = { _, _ in .ok }) {
        self.answer = answer
    }

    var delivered: [String] { state.withLock { $0.delivered } }
    var requests: [Request] { state.withLock { $0.requests } }

    /// Runs the server while `body` runs, with the base URL to give as `telegram.apiURL`.
    func serve<Value: Sendable>(_ body: @Sendable (_ apiURL: String) async throws -> Value) async throws -> Value {
        let router = Router()
        router.post("/:bot/sendMessage") { request, context -> Response in
            let message = try await request.decode(as: Message.self, context: context)
            let path = request.uri.path
            let n = self.state.withLock { $0.requests.count + 1 }
            let chosen = self.answer(n, message.text)
            var status = 200
            var json = #"{"ok":true,"result":{"message_id":\#(n)}}"#
            switch chosen {
            case .ok:
                break
            case .status(let code, let description, let retryAfter):
                status = code
                let parameters = retryAfter.map { #","parameters":{"retry_after":\#($0)}"# } ?? ""
                json = #"{"ok":false,"error_code":\#(code),"description":"\#(description)"\#(parameters)}"#
            case .silence:
                status = 500
                json = #"{"ok":false,"error_code":500,"description":"Internal Server Error"}"#
            }
            self.state.withLock {
                $0.requests.append(Request(path: path, chatID: message.chat_id, text: message.text, at: .now, status: status))
                if status == 200 { $0.delivered.append(message.text) }
            }
            if case .silence = chosen {
                // Bounded only so that a broken client cannot hang the test run.
                let end = ContinuousClock.now + .seconds(120)
                while self.requests.count <= n, ContinuousClock.now < end { try? await Task.sleep(for: .milliseconds(20)) }
            }
            return Response(
                status: .init(code: status), headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(string: json)))
        }
        var logger = Logger(label: "fake-telegram")
        logger.logLevel = .warning
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
        return try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }
}
