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

    /// Preparing the schema failed, so the gate never opens: the shutdown that
    /// follows cancels the services, and each must end (it hung the app before).
    @Test(.timeLimit(.minutes(5)))
    func aCancelledWaiterStopsWaitingWhileTheGateStaysShut() async throws {
        let gate = StartupGate()
        let started = Received()
        let waiting = Task {
            started.append("waiting")
            await gate.wait()
        }
        while started.all.isEmpty { await Task.yield() }
        waiting.cancel()
        await waiting.value
        let cancelledFirst = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            await gate.wait()
        }
        await cancelledFirst.value
    }

    @Test(.timeLimit(.minutes(5)))
    func aPeriodicServiceEndsWhenCancelledBeforeTheGateOpens() async throws {
        let gate = StartupGate()
        let worked = Received()
        let service = Task { await runPeriodically(every: .seconds(60), after: gate) { worked.append("work") } }
        try await Task.sleep(for: .milliseconds(50))
        service.cancel()
        await service.value
        #expect(worked.all.isEmpty)
    }
}
