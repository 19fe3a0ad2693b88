import ArgumentParser
import AuctionServer
import Foundation

/// `auction check`: are the settings valid, and do storage, broker and sessions
/// answer? One line per part on stdout; exit status 0 when all answer, else 1.
struct Check: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the settings and that storage, broker and sessions answer.")
    @OptionGroup var flags: ServerFlags

    func run() async throws {
        var findings: [DependencyCheck.Finding] = []
        try await reportingFailure {
            let settings = try await SettingsLoader(flags: flags.values).load()
            // The clients' retries would bury the findings: errors only.
            var log = settings.log
            log.level = max(log.level, .error)
            let logger = makeLogger(log)
            findings = await DependencyCheck.run(settings: settings, logger: logger)
        }
        for finding in findings { print(finding) }
        if findings.contains(where: { $0.problem != nil }) { throw ExitCode.failure }
    }
}
