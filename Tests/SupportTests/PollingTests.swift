import AuctionSupport
import Synchronization
import Testing

@Suite("waitUntil")
struct PollingTests {
    final class Flag: Sendable {
        let value = Atomic<Bool>(false)
    }

    @Test("true once the condition holds; false when the time runs out first")
    func waits() async {
        #expect(await waitUntil(timeout: .seconds(1)) { true })
        #expect(await waitUntil(timeout: .milliseconds(30)) { false } == false)
        let flag = Flag()
        let setter = Task {
            try? await Task.sleep(for: .milliseconds(20))
            flag.value.store(true, ordering: .releasing)
        }
        #expect(await waitUntil(timeout: .seconds(30)) { flag.value.load(ordering: .acquiring) })
        await setter.value
    }
}
