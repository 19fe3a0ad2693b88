import Foundation
import Synchronization

/// Bidders raising one lot's price as fast as they can, recording what every
/// request got, so a test can compare what was acknowledged with the event log.
final class BidLoad: Sendable {
    struct Outcome: Sendable {
        let bidder: String
        let amount: Int
        /// Nil when no answer came (refused, reset, timed out).
        let status: Int?
        let node: Int
        let started: ContinuousClock.Instant
        var acknowledged: Bool { status.map { (200..<300).contains($0) } ?? false }
    }

    let lot: Int64
    private let outcomes = Mutex<[Outcome]>([])
    private let amounts = Mutex(1)
    private let stopped = Mutex(false)

    init(lot: Int64) { self.lot = lot }

    var results: [Outcome] { outcomes.withLock { $0 } }
    var acknowledged: [Outcome] { results.filter(\.acknowledged) }
    func stop() { stopped.withLock { $0 = true } }

    /// Runs every bidder until `stop()` or `deadline`; bidder `i` uses the node `node(i)`
    /// gives at each request.
    func run(
        bidders: [Account], until deadline: ContinuousClock.Instant, node: @escaping @Sendable (Int) -> (Int, ServerProcess)
    ) async {
        await withTaskGroup(of: Void.self) { group in
            for (index, bidder) in bidders.enumerated() {
                group.addTask { await self.bid(as: bidder, until: deadline) { node(index) } }
            }
        }
    }

    private func bid(as first: Account, until deadline: ContinuousClock.Instant, node: @Sendable () -> (Int, ServerProcess))
        async
    {
        var account = first
        // POST for the first bid, PATCH after; an unanswered request may have committed,
        // so the server's refusal says which one it wants.
        var hasBid = false
        while ContinuousClock.now < deadline && !stopped.withLock({ $0 }) {
            let (index, server) = node()
            let amount = amounts.withLock {
                $0 += 1
                return $0
            }
            let started = ContinuousClock.now
            let answer = try? await HTTP.request(
                hasBid ? "PATCH" : "POST", server.baseURL.appendingPathComponent("lots/\(lot)/bids"),
                form: ["amount": String(amount)], token: account.token)
            outcomes.withLock {
                $0.append(Outcome(bidder: account.username, amount: amount, status: answer?.0, node: index, started: started))
            }
            switch answer {
            case (let status, _)? where status == 200 || status == 201:
                hasBid = true
            case (400, let body)? where (body["detail"] as? String)?.contains("already") == true:
                hasBid = true
            case (404, _)? where hasBid:
                hasBid = false
            case (401, _)?:
                // Sessions in memory die with the process: log in again.
                if let renewed = try? await account.login(on: server) { account = renewed }
            case nil, (503, _)?:
                try? await Task.sleep(for: .milliseconds(50))
            default:
                break
            }
        }
    }
}

extension Account {
    /// A new token for this account (registered with the password "pw").
    func login(on node: ServerProcess) async throws -> Account {
        let (status, body) = try await HTTP.request(
            "POST", node.baseURL.appendingPathComponent("account/token"), form: ["username": username, "password": "pw"])
        guard status == 201, let token = body["access_token"] as? String else { throw Failure("login: \(status)") }
        return Account(username: username, token: token)
    }
}
