import Foundation

/// A RabbitMQ node of this test's own, started and stopped with
/// scripts/lib/rabbitmq.sh, so that stopping it disturbs no other test.
public struct PrivateRabbitMQ: Sendable {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/lib/rabbitmq.sh").path

    public let environment: [String: String]

    public var url: URL { URL(string: environment["TEST_AMQP_URL"]!)! }

    public static func start() async throws -> PrivateRabbitMQ {
        let output = try await run(
            "rabbitmq_start >&2 && env | grep -E '^(TEST_AMQP_URL|RABBITMQ_TEST_[A-Z_]+)='", environment: [:])
        var environment: [String: String] = [:]
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            if parts.count == 2 { environment[String(parts[0])] = String(parts[1]) }
        }
        guard environment["TEST_AMQP_URL"] != nil else { throw ScriptFailed(output: output) }
        return PrivateRabbitMQ(environment: environment)
    }

    public func stopNode() async throws { _ = try await Self.run("rabbitmq_stop_node", environment: environment) }
    public func startNode() async throws { _ = try await Self.run("rabbitmq_start_node", environment: environment) }
    public func remove() async { _ = try? await Self.run("rabbitmq_stop", environment: environment) }

    struct ScriptFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "scripts/lib/rabbitmq.sh failed: \(output)" }
    }

    /// Runs bash with the script sourced; waits without blocking a thread of the pool.
    private static func run(_ command: String, environment: [String: String]) async throws -> String {
        // Without the shared node's variables: rabbitmq_start would take that node for ours.
        let inherited = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("RABBITMQ_TEST_") && key != "TEST_AMQP_URL"
        }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("rabbitmq-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw ScriptFailed(output: "cannot create \(outputFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let (input, sink) = (try ChildDescriptors.nullDevice(), try ChildDescriptors.writing(to: outputFile))
        let process: Spawned
        do {
            defer { close(input); close(sink) }
            process = try Spawned(
                URL(fileURLWithPath: "/bin/bash"), ["-c", "set -euo pipefail; source '\(script)'; \(command)"],
                environment: inherited.merging(environment) { $1 }, input: input, output: sink, errors: 2)
        }
        // The script's own waits are bounded (180 s for a node); this only guards a hang.
        guard let status = await process.exit(within: 900) else {
            process.send(SIGKILL)
            throw ScriptFailed(output: "\(command) still ran after 900 s")
        }
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else { throw ScriptFailed(output: "exit \(status): \(output)") }
        return output
    }
}

