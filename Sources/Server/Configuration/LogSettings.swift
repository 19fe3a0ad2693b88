import Logging

/// How much the process logs and in which shape (`LOG_LEVEL`, `LOG_FORMAT`).
public struct LogSettings: Sendable, Equatable {
    /// `text`: one readable line per message; `json`: one JSON object per line, for a log stack.
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public var level: Logger.Level
    public var format: Format

    public init(level: Logger.Level = .info, format: Format = .text) {
        self.level = level
        self.format = format
    }

    init(reading config: SettingsReader) throws(SettingsError) {
        level = try config.choice("log.level")
        format = try config.choice("log.format")
    }
}

extension Logger.Level: SettingChoice {}
extension LogSettings.Format: SettingChoice {}
