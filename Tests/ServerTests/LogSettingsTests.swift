@testable import AuctionServer
import Testing

@Suite("Log settings")
struct LogSettingsTests {
    @Test func defaultsAreInfoText() async throws {
        #expect(try await SettingsTests.load([:]).log == LogSettings(level: .info, format: .text))
    }

    @Test func levelAndFormatAreRead() async throws {
        let log = try await SettingsTests.load(["LOG_LEVEL": "debug", "LOG_FORMAT": "json"]).log
        #expect(log == LogSettings(level: .debug, format: .json))
    }

    @Test("a bad value is refused with one line naming its variable", arguments: [
        ("LOG_LEVEL", "loud", "log.level"), ("LOG_FORMAT", "xml", "log.format"),
    ])
    func badValuesAreRefused(variable: String, value: String, key: String) async throws {
        let error = try #require(await SettingsTests.failure([variable: value]))
        #expect(error.key == key && error.environmentVariable == variable)
        #expect(error.description.contains("got '\(value)'") && !error.description.contains("\n"))
    }
}
