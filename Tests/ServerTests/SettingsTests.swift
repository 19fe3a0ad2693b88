@testable import AuctionServer
import Foundation
import Testing

@Suite("Settings")
struct SettingsTests {
    /// A config folder with no files, so only the code's defaults and the given values count.
    static let emptyConfig = FileManager.default.temporaryDirectory.appendingPathComponent("no-config-\(UUID())").path

    static func load(_ env: [String: String], flags: [String: String] = [:], dir: String = emptyConfig) async throws -> AppSettings {
        try await SettingsLoader(environmentVariables: env, flags: flags, configDirectory: dir).load()
    }

    static func failure(_ env: [String: String], flags: [String: String] = [:]) async -> SettingsError? {
        do {
            _ = try await load(env, flags: flags)
            return nil
        } catch {
            return error as? SettingsError
        }
    }

    static let secret = String(repeating: "s", count: 40)

    @Test func devDefaults() async throws {
        let s = try await Self.load([:])
        #expect(s.environment == .dev)
        #expect(s.host == "127.0.0.1" && s.port == 8000)
        #expect(s.storageKind == .sqlite && s.sqlitePath == "auction.sqlite")
        #expect(s.brokerKind == .memory && s.sessionsKind == .memory)
        #expect(s.jwtSecret == AppSettings.devSecret && s.jwtAlgorithm == .HS256)
        #expect(s.tokenLifetimeMinutes == 30 && s.role == .all && s.autoMigrate)
    }

    @Test func prodDefaultsAndRequirements() async throws {
        let base = ["APP_SETTINGS": "prod", "JWT_SECRET_KEY": Self.secret, "PGUSER": "u", "PGPASSWORD": "p"]
        let s = try await Self.load(base)
        #expect(s.host == "0.0.0.0" && s.storageKind == .postgres && s.brokerKind == .redis && s.sessionsKind == .redis)
        #expect(s.postgres.host == "localhost" && s.postgres.port == 5432 && s.postgres.database == "auction")
        #expect(s.brokerURL?.absoluteString == "redis://127.0.0.1:6379")
        #expect(!s.autoMigrate)

        var noSecret = base
        noSecret["JWT_SECRET_KEY"] = nil
        #expect(await Self.failure(noSecret)?.description.contains("JWT_SECRET_KEY") == true)
        var devSecret = base
        devSecret["JWT_SECRET_KEY"] = AppSettings.devSecret
        #expect(await Self.failure(devSecret)?.key == "jwt.secret")
        var noUser = base
        noUser["PGUSER"] = nil
        let error = await Self.failure(noUser)
        #expect(error?.description.contains("PGUSER") == true)
        #expect(error?.description.contains("\n") == false)
        var noPassword = base
        noPassword["PGPASSWORD"] = nil
        #expect(await Self.failure(noPassword)?.description.contains("PGPASSWORD") == true)
    }

    @Test func environmentAliasesAndFlags() async throws {
        let s = try await Self.load(
            ["HTTP_PORT": "9000", "HTTP_HOST": "0.0.0.0", "TOKEN_EXPIRATION_IN_MINUTES": "5", "JWT_ALGORITHM": "HS512",
             "STORAGE_SQLITE_PATH": "/tmp/x.sqlite", "SERVER_ROLE": "gateway", "PGHOST": "db.local"],
            flags: ["http.port": "9100"])
        #expect(s.port == 9100)  // flags win over the environment
        #expect(s.host == "0.0.0.0")
        #expect(s.tokenLifetimeMinutes == 5 && s.jwtAlgorithm == .HS512)
        #expect(s.sqlitePath == "/tmp/x.sqlite" && s.role == .gateway && s.postgres.host == "db.local")
    }

    @Test("a bad setting stops the start with one line naming it", arguments: [
        (["HTTP_PORT": "abc"], "HTTP_PORT"), (["HTTP_PORT": "70000"], "HTTP_PORT"), (["STORAGE_KIND": "mysql"], "STORAGE_KIND"),
        (["BROKER_KIND": "kafka"], "BROKER_KIND"), (["BROKER_KIND": "redis"], "BROKER_URL"),
        (["BROKER_KIND": "amqp", "BROKER_URL": "redis://x:1"], "BROKER_URL"), (["JWT_ALGORITHM": "RS256"], "JWT_ALGORITHM"),
        (["JWT_SECRET_KEY": "short"], "JWT_SECRET_KEY"),
        (["JWT_SECRET_KEY": String(repeating: "k", count: 40), "JWT_ALGORITHM": "HS512"], "JWT_SECRET_KEY"), (["TOKEN_EXPIRATION_IN_MINUTES": "0"], "TOKEN_EXPIRATION_IN_MINUTES"),
        (["SERVER_ROLE": "worker"], "SERVER_ROLE"), (["APP_SETTINGS": "staging"], "APP_SETTINGS"),
        (["SESSIONS_KIND": "redis", "SESSIONS_URL": "http://x"], "SESSIONS_URL"),
        (["BROKER_KIND": "amqp", "BROKER_URL": "amqps://x:5671"], "BROKER_URL"),  // TLS is not supported
        (["SESSIONS_KIND": "nowhere"], "SESSIONS_KIND"), (["SESSIONS_KIND": "redis"], "SESSIONS_URL"),
        (["AUTH_BCRYPT_COST": "3"], "AUTH_BCRYPT_COST"), (["AUTH_BCRYPT_COST": "32"], "AUTH_BCRYPT_COST"),
        (["HUB_SOCKET_BUFFER_LIMIT": "15"], "HUB_SOCKET_BUFFER_LIMIT"),
        (["HUB_RESYNC_INTERVAL_MS": "10"], "HUB_RESYNC_INTERVAL_MS"),
        (["STORAGE_SQLITE_SYNCHRONOUS": "off"], "STORAGE_SQLITE_SYNCHRONOUS"),
        (["STORAGE_AUTO_MIGRATE": "maybe"], "STORAGE_AUTO_MIGRATE"),
    ])
    func badSettings(env: [String: String], variable: String) async throws {
        let error = try #require(await Self.failure(env))
        #expect(error.description.contains(variable), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func configFileIsReadAndEnvironmentWins() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try #"{"http": {"port": 8123, "host": "127.0.0.2"}, "storage": {"sqlite": {"path": "from-file.sqlite"}}}"#
            .write(to: dir.appendingPathComponent("dev.json"), atomically: true, encoding: .utf8)
        let s = try await Self.load(["HTTP_HOST": "127.0.0.3"], dir: dir.path)
        #expect(s.port == 8123 && s.sqlitePath == "from-file.sqlite" && s.host == "127.0.0.3")
    }

    @Test func shippedConfigFilesParse() async throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("config").path
        let dev = try await Self.load([:], dir: root)
        #expect(dev.storageKind == .sqlite && dev.brokerKind == .memory)
        let prod = try await Self.load(
            ["APP_SETTINGS": "prod", "JWT_SECRET_KEY": Self.secret, "PGUSER": "u", "PGPASSWORD": "p"], dir: root)
        #expect(prod.storageKind == .postgres && prod.brokerKind == .redis && prod.sessionsKind == .redis)
    }
}
