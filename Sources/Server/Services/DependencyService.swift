import ServiceLifecycle

/// Runs a store's, broker's or session store's `run()` as a service of the
/// application; one that has nothing to run stays up until shutdown, since a
/// service that returns early would stop the whole group.
struct DependencyService: Service {
    let body: @Sendable () async throws -> Void

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                try await body()
                try await gracefulShutdown()
            }
        } catch is CancellationError {
            // Shutdown: the expected way to end.
        }
    }
}
