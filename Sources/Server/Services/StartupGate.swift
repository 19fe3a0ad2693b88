/// Opens once, when the schema is ready; background services that query the
/// store wait for it, so a first start does not query tables not yet created.
/// A waiter that is cancelled stops waiting: when preparing the schema fails,
/// the shutdown that follows cancels the services, and a gate that ignored it
/// kept the process (and the tests' app) from ever ending.
actor StartupGate {
    private var isOpen = false
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var nextWaiter = 0

    func open() {
        isOpen = true
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }

    /// Returns when the gate opens or the calling task is cancelled (check
    /// `Task.isCancelled` after it).
    func wait() async {
        if isOpen || Task.isCancelled { return }
        let id = nextWaiter
        nextWaiter += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.release(id) }
        }
    }

    private func release(_ id: Int) {
        waiters.removeValue(forKey: id)?.resume()
    }
}
