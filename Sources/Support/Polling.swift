/// Waits until `condition` holds, looking every 10 ms; false when `timeout`
/// passes first or the task is cancelled. For status flags that a thread of
/// their own sets (a subscription, a consumer), which have no event to await.
public func waitUntil(timeout: Duration, _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline, !Task.isCancelled else { return false }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return true
}
