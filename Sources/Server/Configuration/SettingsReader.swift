import Configuration
import Foundation

/// swift-configuration's typed getters, with each failure turned into the one
/// line of a `SettingsError` that names the key and its environment variables.
/// Every key but the URLs and the PostgreSQL credentials has a value in
/// `SettingsDefaults`, so a getter that throws met a value it cannot convert.
struct SettingsReader {
    let reader: ConfigReader

    func string(_ key: String) throws(SettingsError) -> String {
        do {
            return try reader.requiredString(forKey: ConfigKey(key))
        } catch {
            throw self.error(key, "must be text")
        }
    }

    /// A secret with a default (never written into an error or an access log).
    func secret(_ key: String) throws(SettingsError) -> String {
        do {
            return try reader.requiredString(forKey: ConfigKey(key), isSecret: true)
        } catch {
            throw self.error(key, "must be text")
        }
    }

    /// A secret without a default: it must be given, and not empty.
    func requiredSecret(_ key: String) throws(SettingsError) -> String {
        guard let value = reader.string(forKey: ConfigKey(key), isSecret: true), !value.isEmpty else {
            throw self.error(key, "is required")
        }
        return value
    }

    func int(_ key: String, in range: ClosedRange<Int>) throws(SettingsError) -> Int {
        let problem = "must be a whole number from \(range.lowerBound) to \(range.upperBound)"
        let value: Int
        do {
            value = try reader.requiredInt(forKey: ConfigKey(key))
        } catch {
            throw self.error(key, problem + given(key))
        }
        guard range.contains(value) else { throw self.error(key, "\(problem), got '\(value)'") }
        return value
    }

    func bool(_ key: String) throws(SettingsError) -> Bool {
        do {
            return try reader.requiredBool(forKey: ConfigKey(key))
        } catch {
            throw self.error(key, "must be true or false" + given(key))
        }
    }

    func choice<Choice: SettingChoice>(_ key: String, as type: Choice.Type = Choice.self) throws(SettingsError) -> Choice {
        let text = try string(key)
        guard let value = Choice.parse(setting: text) else {
            let options = Choice.allCases.map(\.settingText).joined(separator: ", ")
            throw self.error(key, "must be one of \(options), got '\(text)'")
        }
        return value
    }

    /// A comma-separated list (empty entries dropped; none by default).
    func list(_ key: String) throws(SettingsError) -> [String] {
        try string(key).split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// A URL with one of the given schemes, required because of `reason` (the kind that needs it).
    func url(_ key: String, scheme: String, _ otherSchemes: String..., for reason: String) throws(SettingsError) -> URL {
        guard let text = reader.string(forKey: ConfigKey(key), isSecret: true) else {
            throw self.error(key, "is required for \(reason)")
        }
        guard let url = URL(string: text), url.scheme != nil, url.host != nil else {
            throw self.error(key, "must be a URL such as \(scheme)://127.0.0.1")
        }
        let schemes = [scheme] + otherSchemes
        guard let given = url.scheme, schemes.contains(given) else {
            let names = schemes.map { "\($0)://" }.joined(separator: " or ")
            throw self.error(key, "must be a \(names) URL for \(reason)")
        }
        return url
    }

    /// The error for `key`, naming its variable and the original service's alias.
    func error(_ key: String, _ problem: String) -> SettingsError {
        let variables = [SettingsLoader.environmentName(of: key)] + SettingsLoader.aliases(of: key)
        return SettingsError(key: key, environmentVariable: variables.joined(separator: " or "), problem: problem)
    }

    /// ", got 'text'" when the value can be read as text (environment values always can).
    private func given(_ key: String) -> String {
        reader.string(forKey: ConfigKey(key)).map { ", got '\($0)'" } ?? ""
    }
}

/// A setting with a fixed set of values, read from its text.
protocol SettingChoice: CaseIterable {
    static func parse(setting text: String) -> Self?
    var settingText: String { get }
}

extension SettingChoice where Self: RawRepresentable, RawValue == String {
    static func parse(setting text: String) -> Self? { Self(rawValue: text) }
    var settingText: String { rawValue }
}

extension AppSettings.Role: SettingChoice {}
extension StorageSettings.Kind: SettingChoice {}
extension BrokerSettings.Kind: SettingChoice {}
extension SessionsSettings.Kind: SettingChoice {}
extension JWTSettings.Algorithm: SettingChoice {}
