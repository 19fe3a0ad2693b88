import Foundation

/// A command run to its end, its output caught in files: no pipe whose end of
/// file a reader might miss, so a test never waits on a process that is gone.
public struct FinishedProcess: Sendable {
    public let status: Int32
    public let output: String
    public let errors: String

    /// The lines of stdout that are not empty.
    public var lines: [String] { output.split(separator: "\n").map(String.init) }

    public struct DidNotEnd: Error, CustomStringConvertible {
        public let command: String
        public var description: String { "\(command) still ran after its time; it was killed" }
    }

    /// Runs `executable` with the environment given over the test's own, stdin
    /// empty; polls for the end without blocking a thread, and kills it after `seconds`.
    public static func run(
        _ executable: URL, _ arguments: [String], environment: [String: String] = [:], within seconds: Double = 60
    ) async throws -> FinishedProcess {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("process-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (outputFile, errorFile) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
        try Data().write(to: outputFile)
        try Data().write(to: errorFile)
        let input = try ChildDescriptors.nullDevice()
        let (output, errors) = (try ChildDescriptors.writing(to: outputFile), try ChildDescriptors.writing(to: errorFile))
        let process: Spawned
        do {
            defer { close(input); close(output); close(errors) }
            process = try Spawned(
                executable, arguments, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 },
                input: input, output: output, errors: errors)
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while process.isRunning {
            guard ContinuousClock.now < deadline else {
                process.terminate()
                process.waitUntilExit()
                throw DidNotEnd(command: ([executable.lastPathComponent] + arguments).joined(separator: " "))
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return FinishedProcess(
            status: process.terminationStatus,
            output: try String(contentsOf: outputFile, encoding: .utf8),
            errors: try String(contentsOf: errorFile, encoding: .utf8))
    }
}
