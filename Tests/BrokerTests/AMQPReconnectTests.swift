import AMQPBroker
import AuctionCore
import Foundation
import Logging
import Testing
import TestSupport

/// A RabbitMQ node of this test's own, started and stopped with
/// scripts/lib/rabbitmq.sh, so that stopping it disturbs no other test.
private struct PrivateRabbitMQ {
    static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/lib/rabbitmq.sh").path

    let environment: [String: String]

    var url: URL { URL(string: environment["TEST_AMQP_URL"]!)! }

    static func start() async throws -> PrivateRabbitMQ {
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

    func stopNode() async throws { _ = try await Self.run("rabbitmq_stop_node", environment: environment) }
    func startNode() async throws { _ = try await Self.run("rabbitmq_start_node", environment: environment) }
    func remove() async { _ = try? await Self.run("rabbitmq_stop", environment: environment) }

    struct ScriptFailed: Error, CustomStringConvertible {
        let output: String
        var description: String { "scripts/lib/rabbitmq.sh failed: \(output)" }
    }

    /// Runs bash with the script sourced; waits without blocking a thread of the pool.
    private static func run(_ command: String, environment: [String: String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "set -euo pipefail; source '\(script)'; \(command)"]
        // Without the shared node's variables: rabbitmq_start would take that node for ours.
        let inherited = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("RABBITMQ_TEST_") && key != "TEST_AMQP_URL"
        }
        process.environment = inherited.merging(environment) { $1 }
        let outputFile = FileManager.default.temporaryDirectory.appendingPathComponent("rabbitmq-\(UUID().uuidString).out")
        guard FileManager.default.createFile(atPath: outputFile.path, contents: nil) else {
            throw ScriptFailed(output: "cannot create \(outputFile.path)")
        }
        defer { try? FileManager.default.removeItem(at: outputFile) }
        let handle = try FileHandle(forWritingTo: outputFile)
        process.standardOutput = handle
        process.standardError = FileHandle.standardError
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try handle.close()
        let output = (try? String(contentsOf: outputFile, encoding: .utf8)) ?? ""
        guard status == 0 else { throw ScriptFailed(output: "exit \(status): \(output)") }
        return output
    }
}

@Suite("AMQP broker across a RabbitMQ outage", .timeLimit(.minutes(5)))
struct AMQPReconnectTests {
    @Test("publish fails fast while RabbitMQ is down; the consumer comes back by itself")
    func reconnects() async throws {
        // The shared server must be there too (a missing URL fails the run, never skips).
        _ = try ServiceEnvironment.amqpURL()
        let clock = ContinuousClock()
        var nodeStart = Duration.zero
        let node = try await {
            var started: PrivateRabbitMQ?
            nodeStart = try await clock.measure { started = try await PrivateRabbitMQ.start() }
            return started!
        }()
        do {
            try await exercise(node: node, clock: clock)
            await node.remove()
        } catch {
            await node.remove()
            throw error
        }
        print("AMQP: private node started in \(nodeStart)")
    }

    private func exercise(node: PrivateRabbitMQ, clock: ContinuousClock) async throws {
        let broker = try AMQPTestSupport.makeBroker(exchange: "auction.events", url: node.url)
        let events = broker.events()
        let stream = await broker.subscribe()
        let run = Task { try await broker.run() }
        defer { run.cancel() }
        var eventIterator = events.makeAsyncIterator()
        #expect(await eventIterator.next() == .consuming(generation: 1))

        let before = AMQPTestSupport.event(lot: 1, seq: 1)
        try await broker.publish(before)
        var received = stream.makeAsyncIterator()
        #expect(await received.next() == before)

        try await node.stopNode()
        let lost = await eventIterator.next()
        guard case .disconnected = lost else {
            Issue.record("expected a disconnection, got \(String(describing: lost))")
            return
        }

        // Down: publish and ping fail with `unavailable`, quickly.
        for attempt in 1...3 {
            var error: (any Error)?
            let elapsed = await clock.measure {
                do { try await broker.publish(AMQPTestSupport.event(lot: 1, seq: 100 + Int64(attempt))) } catch let e { error = e }
            }
            guard case .unavailable? = error as? AuctionError else {
                Issue.record("publish while down: expected AuctionError.unavailable, got \(String(describing: error))")
                return
            }
            #expect(elapsed < .seconds(2), "publish while down took \(elapsed)")
            print("AMQP: publish while down failed in \(elapsed)")
        }
        await #expect(throws: AuctionError.self) { try await broker.ping() }

        // Up again on the same port: the consumer reconnects with no help.
        try await node.startNode()
        let nodeUp = clock.now
        let back = await eventIterator.next()
        #expect(back == .consuming(generation: 2))
        print("AMQP: consumer back \(clock.now - nodeUp) after the node accepted connections")

        // The publisher may still be in its backoff window (at most 2 s): retry briefly.
        let after = AMQPTestSupport.event(lot: 1, seq: 2)
        let deadline = clock.now + .seconds(10)
        while true {
            do {
                try await broker.publish(after)
                break
            } catch {
                guard clock.now < deadline else { throw error }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        #expect(await received.next() == after)
        try await broker.ping()
        run.cancel()
        try await run.value
    }
}
