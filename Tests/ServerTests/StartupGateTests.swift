@testable import AuctionServer
import Testing

@Suite("Startup gate")
struct StartupGateTests {
    @Test func waitersGoOnlyAfterTheGateOpens() async throws {
        let gate = StartupGate()
        let passed = Received()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<3 {
                group.addTask {
                    await gate.wait()
                    passed.append("through")
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            #expect(passed.all.isEmpty)
            await gate.open()
            try await group.waitForAll()
        }
        #expect(passed.all.count == 3)
        await gate.wait()  // an open gate lets later waiters through at once
    }
}
