import Foundation

/// A registered bench user and its token.
struct BenchAccount: Sendable {
    let username: String
    let token: String
}

/// Registration and login of the bench's users, before any timing starts.
enum Accounts {
    static let password = "auction-bench-password"

    /// Registers and logs in `count` users named `<prefix>-<i>`, a few at a time.
    static func register(count: Int, prefix: String, server: ServerAddress, parallel: Int = 8) async throws
        -> [BenchAccount]
    {
        try await withThrowingTaskGroup(of: [(Int, BenchAccount)].self) { group in
            let lanes = max(1, min(parallel, count))
            for lane in 0..<lanes {
                group.addTask {
                    let connection = try await HTTPConnection.connect(host: server.host, port: server.port)
                    let api = AuctionAPI(connection: connection)
                    var made: [(Int, BenchAccount)] = []
                    for index in stride(from: lane, to: count, by: lanes) {
                        let name = "\(prefix)-\(index)"
                        try await api.register(username: name, password: password)
                        made.append((index, BenchAccount(username: name, token: try await api.login(username: name, password: password))))
                    }
                    await connection.close()
                    return made
                }
            }
            var all: [(Int, BenchAccount)] = []
            for try await made in group { all += made }
            return all.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// A short prefix that no earlier run used (a server given by `--url` keeps its users).
    static func runPrefix() -> String {
        "bench\(UUID().uuidString.prefix(8).lowercased())"
    }
}

/// Where the server listens.
struct ServerAddress: Sendable {
    let host: String
    let port: Int

    var socketBase: String { "ws://\(host):\(port)" }

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// From `http://host:port`.
    init?(url text: String) {
        guard let url = URLComponents(string: text), url.scheme == "http", let host = url.host, !host.isEmpty else {
            return nil
        }
        self.host = host
        port = url.port ?? 80
    }
}
