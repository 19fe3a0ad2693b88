import Foundation

/// The token `login` saved, one per server: `$XDG_CONFIG_HOME/auction-client/tokens.json`
/// (`~/.config/...` without XDG_CONFIG_HOME), mode 0600 as it grants the account.
/// `AUCTION_TOKEN` in the environment wins over the file.
struct TokenStore {
    let file: URL

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let config = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.config"
        file = URL(fileURLWithPath: config).appendingPathComponent("auction-client/tokens.json")
        self.environment = environment
    }

    private let environment: [String: String]

    /// The token for `server`: `AUCTION_TOKEN`, else the saved one.
    func token(for server: String) -> String? {
        if let token = environment["AUCTION_TOKEN"], !token.isEmpty { return token }
        return saved()[server]
    }

    func save(_ token: String, for server: String) throws {
        var tokens = saved()
        tokens[server] = token
        let manager = FileManager.default
        try manager.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder().encode(tokens)
        // Created 0600 before the token is written, so it is never readable by others.
        if !manager.fileExists(atPath: file.path) {
            guard manager.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: file.path])
            }
        }
        try manager.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file.path)
        let handle = try FileHandle(forWritingTo: file)
        defer { try? handle.close() }
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: data)
    }

    private func saved() -> [String: String] {
        guard let data = try? Data(contentsOf: file) else { return [:] }
        return (try? JSONDecoder().decode([String: String].self, from: data)) ?? [:]
    }
}
