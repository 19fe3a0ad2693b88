import AsyncHTTPClient
import AuctionCore
import Foundation
import NIOCore

/// The Bot API's `sendMessage`, with each answer sorted into what the notifier
/// does next. The token is in the URL: no error or description that leaves this
/// type contains it (`redacted`).
struct TelegramClient: Sendable {
    /// What came of one send.
    enum Outcome: Sendable, Equatable {
        /// Telegram accepted the message.
        case sent
        /// 429: wait this long (`parameters.retry_after`), then send again.
        case retryAfter(Duration)
        /// Telegram refused this message for good (400: a bad chat, a message it
        /// cannot take; 403: the bot may not write there): skip it.
        case rejected(String)
        /// A 5xx, another status, a timeout or no connection: send again after a backoff.
        case failed(String)
    }

    let settings: TelegramSettings
    /// Bounds one whole send, connection to answer.
    let timeout: Duration
    let http: HTTPClient

    init(settings: TelegramSettings, timeout: Duration, http: HTTPClient = .shared) {
        self.settings = settings
        self.timeout = timeout
        self.http = http
    }

    /// The Bot API's answer (only the fields read).
    private struct Answer: Decodable {
        struct Parameters: Decodable { let retry_after: Int? }
        let description: String?
        let parameters: Parameters?
    }

    private struct Message: Encodable {
        let chat_id: String
        let text: String
    }

    func send(_ text: String) async -> Outcome {
        var request = HTTPClientRequest(url: "\(settings.apiURL)/bot\(settings.botToken)/sendMessage")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        do {
            request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(Message(chat_id: settings.chatID, text: text))))
            let (http, timeout, prepared) = (self.http, self.timeout, request)
            let (status, body) = try await withDeadline(timeout) {
                let response = try await http.execute(prepared, timeout: TimeAmount(timeout))
                return (Int(response.status.code), Data(try await response.body.collect(upTo: 1 << 16).readableBytesView))
            }
            return outcome(status: status, body: body)
        } catch is DeadlineExceeded {
            return .failed("no answer within \(timeout)")
        } catch {
            return .failed(redacted("\(error)"))
        }
    }

    func outcome(status: Int, body: Data) -> Outcome {
        let answer = try? JSONDecoder().decode(Answer.self, from: body)
        let description = redacted(answer?.description ?? "no description")
        switch status {
        case 200..<300:
            return .sent
        case 429:
            // Telegram always names the wait; without it, a second is a safe guess.
            return .retryAfter(.seconds(max(answer?.parameters?.retry_after ?? 1, 1)))
        case 400, 403:
            return .rejected("HTTP \(status): \(description)")
        default:
            return .failed("HTTP \(status): \(description)")
        }
    }

    /// `text` with the token replaced (as given, and as a URL may escape it), for anything logged.
    func redacted(_ text: String) -> String {
        let token = settings.botToken
        let escaped = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? token
        return text.replacingOccurrences(of: token, with: "<token>").replacingOccurrences(of: escaped, with: "<token>")
    }
}
