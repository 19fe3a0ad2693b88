import ArgumentParser
import Foundation

/// What the HTTP subcommands share: where the server is and `--json`.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print the server's JSON answer as it came, for scripts.")
    var json = false
}

/// Runs a subcommand's work: a refusal or a failed connection is one line on
/// stderr and exit status 1, never a stack of errors.
func reportingFailures(_ work: () async throws -> Void) async throws {
    do {
        try await work()
    } catch let error as APIClient.Refused {
        Terminal.note(error.description)
        throw ExitCode.failure
    } catch let error as ExitCode {
        throw error
    } catch let error as ValidationError {
        throw error
    } catch {
        Terminal.note("cannot reach the server: \(error)")
        throw ExitCode.failure
    }
}

/// The password: `--password`, else `AUCTION_PASSWORD`, else a line of stdin
/// (so it need not appear in the process list).
func readPassword(_ given: String?) throws -> String {
    if let given { return given }
    if let variable = ProcessInfo.processInfo.environment["AUCTION_PASSWORD"], !variable.isEmpty { return variable }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else {
        throw ValidationError("give the password with --password, AUCTION_PASSWORD or on stdin")
    }
    return line
}

/// Writes the server's JSON on one line, as it came.
func printJSON(_ body: Data) {
    Terminal.line(String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
}

/// Money as the API writes it (a JSON number), shown with two decimals.
func money(_ value: Double) -> String { String(format: "%.2f", value) }
