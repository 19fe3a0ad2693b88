import AuctionCore

/// Pings named parts at once, each bounded even if it ignores cancellation (a
/// hung Redis ping): what `/readyz` and `auction check` ask.
struct ReadinessProbe: Sendable {
    typealias Ping = @Sendable () async throws -> Void

    let checks: [(name: String, ping: Ping)]

    init(_ checks: [(name: String, ping: Ping)]) {
        self.checks = checks
    }

    init(store: any AuctionStore, broker: any EventBroker, sessions: any SessionStore) {
        self.init([
            ("storage", { try await store.ping() }),
            ("broker", { try await broker.ping() }),
            ("sessions", { try await sessions.ping() }),
        ])
    }

    /// Each check's error (nil when it answered within `deadline`), in the order
    /// of `checks`; they run at once, so the probe answers within the deadline.
    func run(deadline: Duration) async -> [(name: String, error: (any Error)?)] {
        let errors = await withTaskGroup(of: (Int, (any Error)?).self) { group in
            for (index, check) in checks.enumerated() {
                group.addTask {
                    do {
                        try await withDeadline(deadline, check.ping)
                        return (index, nil)
                    } catch {
                        return (index, error)
                    }
                }
            }
            var errors = [(any Error)?](repeating: nil, count: checks.count)
            for await (index, error) in group { errors[index] = error }
            return errors
        }
        return zip(checks, errors).map { ($0.name, $1) }
    }
}
