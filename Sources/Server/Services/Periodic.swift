import ServiceLifecycle

/// The loop of a background service: once `gate` opens, `work` every `interval`
/// until the task is cancelled or a graceful shutdown begins.
func runPeriodically(every interval: Duration, after gate: StartupGate, _ work: @escaping @Sendable () async -> Void) async {
    await cancelWhenGracefulShutdown {
        await gate.wait()
        while !Task.isCancelled {
            await work()
            try? await Task.sleep(for: interval)
        }
    }
}
