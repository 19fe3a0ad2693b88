@testable import AuctionServer
import Foundation
import Testing

@Suite("Telegram settings")
struct TelegramSettingsTests {
    static let token = "123456:SECRET-token"

    @Test("off by default")
    func offByDefault() async throws {
        #expect(try await SettingsTests.load([:]).telegram == nil)
    }

    @Test("token and chat turn it on, with the API URL and every event type by default")
    func on() async throws {
        let s = try await SettingsTests.load(["TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_CHAT_ID": "-1001"])
        #expect(s.telegram == TelegramSettings(botToken: Self.token, chatID: "-1001", apiURL: "https://api.telegram.org"))
        let chosen = try await SettingsTests.load([
            "TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_CHAT_ID": "@channel",
            "TELEGRAM_API_URL": "http://127.0.0.1:8081/", "TELEGRAM_EVENTS": "lot_closed, bid_placed",
        ])
        #expect(chosen.telegram?.apiURL == "http://127.0.0.1:8081")
        #expect(chosen.telegram?.events == ["lot_closed", "bid_placed"])
    }

    @Test("a token without a chat, or a chat without a token, stops the start with one line naming both",
          arguments: [
            (["TELEGRAM_BOT_TOKEN": token], "TELEGRAM_CHAT_ID"), (["TELEGRAM_CHAT_ID": "-1001"], "TELEGRAM_BOT_TOKEN"),
          ])
    func halfConfigured(env: [String: String], missing: String) async throws {
        let error = try #require(await SettingsTests.failure(env))
        #expect(error.description.contains(missing), "\(error)")
        #expect(error.description.contains("TELEGRAM_BOT_TOKEN") && error.description.contains("TELEGRAM_CHAT_ID"))
        #expect(!error.description.contains("\n") && !error.description.contains("SECRET"))
    }

    @Test("a bad API URL or event type stops the start", arguments: [
        (["TELEGRAM_API_URL": "ftp://example.com"], "TELEGRAM_API_URL"),
        (["TELEGRAM_EVENTS": "bid_placed,outbid"], "TELEGRAM_EVENTS"),
    ])
    func badValues(env: [String: String], variable: String) async throws {
        let full = env.merging(["TELEGRAM_BOT_TOKEN": Self.token, "TELEGRAM_CHAT_ID": "-1001"]) { first, _ in first }
        let error = try #require(await SettingsTests.failure(full))
        #expect(error.description.contains(variable), "\(error)")
        #expect(!error.description.contains("SECRET"))
    }

    @Test("the server runs the notifier when on")
    func wired() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("telegram-\(UUID()).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        var settings = try AppSettings.testing(sqlitePath: path)
        settings.telegram = TelegramSettings(botToken: Self.token, chatID: "1", apiURL: "http://127.0.0.1:9")
        let app = try await buildApplication(settings: settings)
        #expect(app.services.contains { $0 is TelegramNotifier })
        settings.telegram = nil
        #expect(try await !buildApplication(settings: settings).services.contains { $0 is TelegramNotifier })
    }
}
