import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the subcommands print: readable lines, in colour only when stdout is a
/// terminal and `NO_COLOR` is unset or empty (no-color.org), or `TERM` is not `dumb`.
enum Terminal {
    static let usesColour: Bool = {
        let environment = ProcessInfo.processInfo.environment
        guard isatty(STDOUT_FILENO) == 1 else { return false }
        if let noColour = environment["NO_COLOR"], !noColour.isEmpty { return false }
        return environment["TERM"] != "dumb"
    }()

    enum Style: String {
        case bold = "1", dim = "2", green = "32", yellow = "33", cyan = "36"
    }

    static func styled(_ text: String, _ style: Style) -> String {
        usesColour ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
    }

    /// One line on stdout, written at once (a pipe sees each line as it comes).
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// A message about the client itself, on stderr.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data("auction-client: \(text)\n".utf8))
    }
}
