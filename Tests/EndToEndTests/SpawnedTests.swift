import Foundation
import TestSupport
import Testing

/// The tests' own process launcher (Foundation's Process.run crashes now and then on Linux).
@Suite("Spawned child processes")
struct SpawnedTests {
    @Test func aChildGetsItsThreeStreamsAndNoOtherDescriptor() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("spawned-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let outputFile = folder.appendingPathComponent("out")
        // Held open here, without close-on-exec: a child that inherited it would list it.
        let leaked = open(folder.appendingPathComponent("held").path, O_WRONLY | O_CREAT, 0o644)
        defer { close(leaked) }
        let (input, output) = (try ChildDescriptors.nullDevice(), try ChildDescriptors.writing(to: outputFile))
        let child: Spawned
        do {
            defer { close(input); close(output) }
            child = try Spawned(
                URL(fileURLWithPath: "/bin/sh"), ["-c", "ls /proc/$$/fd; exit 3"],
                environment: ["PATH": "/usr/bin:/bin"], input: input, output: output, errors: output)
        }
        #expect(await child.exit(within: 60) == 3)
        #expect(child.terminationReason == .exit)
        let listed = try String(contentsOf: outputFile, encoding: .utf8).split(separator: "\n").compactMap { Int($0) }
        #expect(listed.contains(1) && !listed.contains(Int(leaked)), "\(listed)")
        #expect(listed.allSatisfy { $0 <= 2 }, "\(listed)")
    }

    @Test func aSignalEndsItAsProcessSaid() async throws {
        let (input, sink) = (try ChildDescriptors.nullDevice(), try ChildDescriptors.nullDevice(writing: true))
        let child: Spawned
        do {
            defer { close(input); close(sink) }
            child = try Spawned(URL(fileURLWithPath: "/bin/sleep"), ["600"], input: input, output: sink, errors: sink)
        }
        #expect(child.isRunning)
        child.send(SIGKILL)
        #expect(await child.exit(within: 60) == SIGKILL)
        #expect(child.terminationReason == .uncaughtSignal)
    }
}
