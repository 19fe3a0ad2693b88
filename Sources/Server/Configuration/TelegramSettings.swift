import Configuration
import Foundation

/// The Telegram notifier (API.md "Telegram"): every lot event of the chosen
/// types sent to one chat. Off unless both the bot token and the chat are set;
/// one of them without the other stops the start.
public struct TelegramSettings: Sendable, Equatable {
    /// The bot's token: a secret, in the Bot API's URLs, never logged.
    public var botToken: String
    /// The chat's id (`-1001234567890`) or a channel's `@name`.
    public var chatID: String
    /// The Bot API's base, without a trailing slash.
    public var apiURL: String
    /// The event types sent (`bid_placed`, ...).
    public var events: Set<String>

    /// Every type of lot event, the default of `telegram.events`.
    public static let eventTypes = ["bid_placed", "lot_status_changed", "lot_extended", "lot_closed"]

    public init(botToken: String, chatID: String, apiURL: String, events: Set<String> = Set(Self.eventTypes)) {
        self.botToken = botToken
        self.chatID = chatID
        self.apiURL = apiURL
        self.events = events
    }

    /// Nil when Telegram is off (neither token nor chat set).
    static func read(from config: SettingsReader) throws(SettingsError) -> TelegramSettings? {
        let token = config.reader.string(forKey: ConfigKey("telegram.botToken"), isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        let chat = config.reader.string(forKey: ConfigKey("telegram.chatID")).flatMap { $0.isEmpty ? nil : $0 }
        switch (token, chat) {
        case (nil, nil):
            return nil
        case (_, nil):
            throw config.error("telegram.chatID", "is required when \(Self.named("telegram.botToken", config)) is set")
        case (nil, _):
            throw config.error("telegram.botToken", "is required when \(Self.named("telegram.chatID", config)) is set")
        case (let token?, let chat?):
            let url = try config.url("telegram.apiURL", scheme: "https", "http", for: "the Telegram Bot API")
            let events = try config.list("telegram.events")
            for event in events where !eventTypes.contains(event) {
                throw config.error(
                    "telegram.events", "must list event types of \(eventTypes.joined(separator: ", ")), got '\(event)'")
            }
            var base = url.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            return TelegramSettings(botToken: token, chatID: chat, apiURL: base, events: Set(events))
        }
    }

    /// `key (VARIABLE)`, as the one line of an error names a second key.
    private static func named(_ key: String, _ config: SettingsReader) -> String {
        "\(key) (\(SettingsLoader.environmentName(of: key)))"
    }
}
