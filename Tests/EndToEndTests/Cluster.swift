import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import TestSupport

/// Several server processes on one PostgreSQL and one broker.
final class Cluster: @unchecked Sendable {
    let nodes: [ServerProcess]

    /// The environment of a node on the test PostgreSQL (shared by the tests: each
    /// uses its own users and lots) and the given broker and sessions.
    static func environment(broker: [String: String]) throws -> [String: String] {
        let pg = try ServiceEnvironment.postgresURL()
        var env: [String: String] = [
            "APP_SETTINGS": "dev",
            "STORAGE_KIND": "postgres",
            "PGHOST": pg.host ?? "127.0.0.1",
            "PGPORT": String(pg.port ?? 5432),
            "PGUSER": pg.user ?? "",
            "PGPASSWORD": pg.password ?? "",
            "PGDATABASE": String(pg.path.dropFirst()),
            "JWT_SECRET_KEY": "end-to-end-secret-0123456789-abcdefghij",
        ]
        env.merge(broker) { $1 }
        return env
    }

    static func redis(_ url: URL) -> [String: String] {
        ["BROKER_KIND": "redis", "BROKER_URL": url.absoluteString, "SESSIONS_KIND": "redis", "SESSIONS_URL": url.absoluteString]
    }

    static func amqp(_ url: URL, sessions: URL) -> [String: String] {
        ["BROKER_KIND": "amqp", "BROKER_URL": url.absoluteString, "SESSIONS_KIND": "redis", "SESSIONS_URL": sessions.absoluteString]
    }

    init(count: Int, environment: [String: String]) throws {
        nodes = try (0..<count).map { _ in try ServerProcess(environment: environment) }
    }

    func start() async throws {
        // One at a time: the first migrates the schema.
        for node in nodes { try await node.start() }
    }

    func stop() { for node in nodes { node.stop() } }
}

/// A user registered through a node.
struct Account: Sendable {
    let username: String
    let token: String

    static func register(on node: some HTTPEndpoint, prefix: String) async throws -> Account {
        let username = "\(prefix)-\(UUID().uuidString.prefix(8))"
        let (created, _) = try await HTTP.request(
            "POST", node.baseURL.appendingPathComponent("account"), form: ["username": username, "password": "pw"])
        guard created == 201 else { throw Failure("register: \(created)") }
        let (status, body) = try await HTTP.request(
            "POST", node.baseURL.appendingPathComponent("account/token"), form: ["username": username, "password": "pw"])
        guard status == 201, let token = body["access_token"] as? String else { throw Failure("login: \(status)") }
        return Account(username: username, token: token)
    }

    func createLot(on node: some HTTPEndpoint, price: String = "1") async throws -> Int64 {
        let (status, body) = try await HTTP.request(
            "POST", node.baseURL.appendingPathComponent("lots"),
            form: ["title": "e2e", "description": "lot", "starting_price": price], token: token)
        guard status == 201, let id = (body["id"] as? NSNumber)?.int64Value else { throw Failure("create lot: \(status)") }
        return id
    }

    /// POST for the first bid, PATCH after; returns the status.
    func bid(on node: some HTTPEndpoint, lot: Int64, amount: String, raise: Bool) async throws -> Int {
        try await HTTP.request(
            raise ? "PATCH" : "POST", node.baseURL.appendingPathComponent("lots/\(lot)/bids"), form: ["amount": amount],
            token: token
        ).0
    }
}

/// A WebSocket watching a lot, collecting its events, reporting readiness via ping/pong.
final class Watcher: Sendable {
    private let received = Mutex<[String]>([])
    let ready: AsyncStream<Void>
    private let readyContinuation: AsyncStream<Void>.Continuation

    init() {
        (ready, readyContinuation) = AsyncStream<Void>.makeStream()
    }

    var texts: [String] { received.withLock { $0 } }
    var seqs: [Int64] {
        texts.compactMap {
            ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["seq"] as? NSNumber
        }.map(\.int64Value)
    }

    /// Watches until `count` events arrived.
    func watch(_ url: String, count: Int) async throws {
        var logger = Logger(label: "watcher")
        logger.logLevel = .critical
        try await WebSocketClient.connect(url: url, logger: logger) { inbound, outbound, _ in
            try await outbound.write(.text("ping"))
            for try await message in inbound.messages(maxSize: 1 << 20) {
                guard case .text(let text) = message else { continue }
                if text == "pong" {
                    self.readyContinuation.yield()
                    continue
                }
                let total = self.received.withLock {
                    $0.append(text)
                    return $0.count
                }
                if total >= count { return }
            }
        }
    }

    func waitUntilReady() async {
        var iterator = ready.makeAsyncIterator()
        _ = await iterator.next()
    }
}

/// Runs `body` with a deadline; throws when it passes, whether or not `body`
/// heeds the cancellation it then gets (a task group would wait for it: one
/// awaiting a child process's output that never ended hung the whole run).
func within<T: Sendable>(_ seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    let first = FirstResult<T>()
    return try await withCheckedThrowingContinuation { continuation in
        first.wait(with: continuation)
        let work = Task {
            do { first.finish(.success(try await body())) } catch { first.finish(.failure(error)) }
        }
        Task {
            try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
            work.cancel()
            first.finish(.failure(Failure("\(what) did not finish within \(seconds) s")))
        }
    }
}

/// The continuation `within` resumes once, with whichever result comes first.
private final class FirstResult<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)

    func wait(with continuation: CheckedContinuation<T, any Error>) {
        self.continuation.withLock { $0 = continuation }
    }

    func finish(_ result: Result<T, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
    }
}
