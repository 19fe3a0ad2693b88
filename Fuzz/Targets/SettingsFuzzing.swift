@testable import AuctionServer
import Foundation
import Synchronization

/// The settings from an environment of `NAME=value` lines: loaded, or refused
/// with a `SettingsError` (the one line naming the setting), never anything else.
enum SettingsFuzzing {
    /// An empty folder: no profile file, so only the environment and the defaults count.
    static let configDirectory: String = {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("auction-fuzz-config").path
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }()

    static func environment(_ text: String) {
        var variables: [String: String] = [:]
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // APP_SETTINGS names a file: without one here it is refused, which is not the parser's work.
            guard parts.count == 2, parts[0] != "APP_SETTINGS" else { continue }
            variables[String(parts[0])] = String(parts[1])
        }
        let outcome = Outcome()
        let done = DispatchSemaphore(value: 0)
        Task { [variables] in
            do {
                _ = try await SettingsLoader(environmentVariables: variables, configDirectory: configDirectory).load()
            } catch is SettingsError {
            } catch {
                outcome.unexpected.withLock { $0 = String(reflecting: error) }
            }
            done.signal()
        }
        done.wait()
        if let unexpected = outcome.unexpected.withLock({ $0 }) {
            preconditionFailure("not a SettingsError: \(unexpected)")
        }
    }

    private final class Outcome: Sendable {
        let unexpected = Mutex<String?>(nil)
    }
}
