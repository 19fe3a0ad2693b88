@testable import AuctionServer
import Configuration
import Foundation
import Testing

@Suite("Settings")
struct SettingsTests {
    /// A config folder with no files, so only the code's defaults and the given values count.
    static let emptyConfig = FileManager.default.temporaryDirectory.appendingPathComponent("no-config-\(UUID())").path

    static func load(_ env: [String: String], flags: [String: String] = [:], dir: String = emptyConfig) async throws -> AppSettings {
        try await SettingsLoader(environmentVariables: env, flags: flags, configDirectory: dir).load()
    }

    static func failure(
        _ env: [String: String], flags: [String: String] = [:], dir: String = emptyConfig
    ) async -> SettingsError? {
        do {
            _ = try await load(env, flags: flags, dir: dir)
            return nil
        } catch {
            return error as? SettingsError
        }
    }

    static let secret = String(repeating: "s", count: 40)
    /// The shipped `config/` folder, where prod's differences live.
    static let shippedConfig = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("config").path
    static let prod = ["APP_SETTINGS": "prod", "JWT_SECRET_KEY": secret, "PGUSER": "u", "PGPASSWORD": "p"]

    @Test func devDefaults() async throws {
        let s = try await Self.load([:])
        #expect(s.profile == .dev)
        #expect(s.host == "127.0.0.1" && s.port == 8000)
        #expect(s.storage == .sqlite(path: "auction.sqlite", synchronous: .full))
        #expect(s.broker == .memory && s.sessions == .memory)
        #expect(s.jwt.secret == JWTSettings.devSecret && s.jwt.algorithm == .HS256)
        #expect(s.jwt.lifetimeMinutes == 30 && s.role == .all && s.autoMigrate)
        #expect(s.bcryptCost == 10 && s.socketBufferLimit == 1024)
        #expect(s.resyncIntervalMilliseconds == 1000 && s.closerIntervalMilliseconds == 1000)
        #expect(s.pingIntervalMilliseconds == 30000 && s.healthTimeoutMilliseconds == 2000)
    }

    @Test func prodDefaultsAndRequirements() async throws {
        let base = Self.prod
        let s = try await Self.load(base, dir: Self.shippedConfig)
        #expect(s.profile == .prod && s.host == "0.0.0.0" && !s.autoMigrate)
        let redis = try #require(URL(string: "redis://127.0.0.1:6379"))
        #expect(s.broker == .redis(redis) && s.sessions == .redis(redis))
        guard case .postgres(let pg) = s.storage else {
            Issue.record("prod stores on PostgreSQL: \(s.storage)")
            return
        }
        #expect(pg.host == "localhost" && pg.port == 5432 && pg.database == "auction")
        #expect(pg.user == "u" && pg.password == "p")

        func failure(_ env: [String: String]) async -> SettingsError? { await Self.failure(env, dir: Self.shippedConfig) }
        var noSecret = base
        noSecret["JWT_SECRET_KEY"] = nil
        #expect(await failure(noSecret)?.description.contains("JWT_SECRET_KEY") == true)
        var devSecret = base
        devSecret["JWT_SECRET_KEY"] = JWTSettings.devSecret
        #expect(await failure(devSecret)?.key == "jwt.secret")
        var noUser = base
        noUser["PGUSER"] = nil
        let error = await failure(noUser)
        #expect(error?.description.contains("PGUSER") == true)
        #expect(error?.description.contains("\n") == false)
        var noPassword = base
        noPassword["PGPASSWORD"] = nil
        #expect(await failure(noPassword)?.description.contains("PGPASSWORD") == true)
        var emptyUser = base
        emptyUser["PGUSER"] = ""
        #expect(await failure(emptyUser)?.key == "storage.postgres.user")
    }

    @Test func migrateNeedsOnlyTheStorage() async throws {
        var env = Self.prod
        env["JWT_SECRET_KEY"] = nil
        env["BROKER_URL"] = "not a url"
        let loader = SettingsLoader(environmentVariables: env, configDirectory: Self.shippedConfig)
        guard case .postgres(let pg) = try await loader.loadStorage() else {
            Issue.record("prod migrates PostgreSQL")
            return
        }
        #expect(pg.user == "u" && pg.password == "p")
        // serve still refuses the same settings.
        await #expect(throws: SettingsError.self) { try await loader.load() }
        // and migrate still refuses a storage it cannot use.
        env["PGUSER"] = nil
        let noUser = SettingsLoader(environmentVariables: env, configDirectory: Self.shippedConfig)
        await #expect(throws: SettingsError.self) { try await noUser.loadStorage() }
    }

    @Test func aFileThatAppSettingsNamesMustExist() async throws {
        for profile in ["dev", "prod"] {
            let error = try #require(await Self.failure(["APP_SETTINGS": profile]))
            #expect(error.key == "APP_SETTINGS" && error.description.contains("\(profile).json"), "\(error)")
            #expect(!error.description.contains("\n"))
        }
    }

    @Test func brokersAndSessionsCarryTheirURLs() async throws {
        let s = try await Self.load([
            "BROKER_KIND": "amqp", "BROKER_URL": "amqp://guest:guest@127.0.0.1:5672/%2F", "BROKER_AMQP_EXCHANGE": "x",
            "SESSIONS_KIND": "redis", "SESSIONS_URL": "redis://10.0.0.1:6380/2",
        ])
        #expect(s.broker == .amqp(try #require(URL(string: "amqp://guest:guest@127.0.0.1:5672/%2F")), exchange: "x"))
        #expect(s.sessions == .redis(try #require(URL(string: "redis://10.0.0.1:6380/2"))))
        let redis = try await Self.load(["BROKER_KIND": "redis", "BROKER_URL": "redis://h:1"])
        #expect(redis.broker == .redis(try #require(URL(string: "redis://h:1"))))
    }

    @Test func environmentAliasesAndFlags() async throws {
        let s = try await Self.load(
            ["HTTP_PORT": "9000", "HTTP_HOST": "0.0.0.0", "TOKEN_EXPIRATION_IN_MINUTES": "5", "JWT_ALGORITHM": "HS512",
             "STORAGE_SQLITE_PATH": "/tmp/x.sqlite", "SERVER_ROLE": "gateway", "PGHOST": "db.local"],
            flags: ["http.port": "9100"])
        #expect(s.port == 9100)  // flags win over the environment
        #expect(s.host == "0.0.0.0")
        #expect(s.jwt.lifetimeMinutes == 5 && s.jwt.algorithm == .HS512)
        #expect(s.storage == .sqlite(path: "/tmp/x.sqlite", synchronous: .full) && s.role == .gateway)
        let pg = try await Self.load(["STORAGE_KIND": "postgres", "PGHOST": "db.local", "PGPORT": "6543", "PGUSER": "u", "PGPASSWORD": "p", "PGDATABASE": "d"])
        guard case .postgres(let postgres) = pg.storage else {
            Issue.record("STORAGE_KIND=postgres: \(pg.storage)")
            return
        }
        #expect(postgres.host == "db.local" && postgres.port == 6543 && postgres.database == "d")
        // The key's own variable wins over the original service's alias.
        let both = try await Self.load(["TOKEN_EXPIRATION_IN_MINUTES": "5", "JWT_EXPIRATION_MINUTES": "7"])
        #expect(both.jwt.lifetimeMinutes == 7)
        let normal = try await Self.load(["STORAGE_SQLITE_SYNCHRONOUS": "normal", "STORAGE_AUTO_MIGRATE": "no"])
        #expect(normal.storage == .sqlite(path: "auction.sqlite", synchronous: .normal) && !normal.autoMigrate)
        #expect(try await Self.load(["HEALTH_TIMEOUT_MS": "15000"]).healthTimeoutMilliseconds == 15000)
    }

    @Test("a bad setting stops the start with one line naming it", arguments: [
        (["HTTP_PORT": "abc"], "HTTP_PORT"), (["HTTP_PORT": "70000"], "HTTP_PORT"), (["STORAGE_KIND": "mysql"], "STORAGE_KIND"),
        (["BROKER_KIND": "kafka"], "BROKER_KIND"), (["BROKER_KIND": "redis"], "BROKER_URL"),
        (["BROKER_KIND": "amqp", "BROKER_URL": "redis://x:1"], "BROKER_URL"), (["JWT_ALGORITHM": "RS256"], "JWT_ALGORITHM"),
        (["JWT_SECRET_KEY": "short"], "JWT_SECRET_KEY"),
        (["JWT_SECRET_KEY": String(repeating: "k", count: 40), "JWT_ALGORITHM": "HS512"], "JWT_SECRET_KEY"), (["TOKEN_EXPIRATION_IN_MINUTES": "0"], "TOKEN_EXPIRATION_IN_MINUTES"),
        (["SERVER_ROLE": "worker"], "SERVER_ROLE"), (["APP_SETTINGS": "staging"], "APP_SETTINGS"),
        (["SESSIONS_KIND": "redis", "SESSIONS_URL": "http://x"], "SESSIONS_URL"),
        (["SESSIONS_KIND": "nowhere"], "SESSIONS_KIND"), (["SESSIONS_KIND": "redis"], "SESSIONS_URL"),
        (["AUTH_BCRYPT_COST": "3"], "AUTH_BCRYPT_COST"), (["AUTH_BCRYPT_COST": "32"], "AUTH_BCRYPT_COST"),
        (["HUB_SOCKET_BUFFER_LIMIT": "15"], "HUB_SOCKET_BUFFER_LIMIT"),
        (["HUB_RESYNC_INTERVAL_MS": "10"], "HUB_RESYNC_INTERVAL_MS"),
        (["HUB_PING_INTERVAL_MS": "50"], "HUB_PING_INTERVAL_MS"), (["HEALTH_TIMEOUT_MS": "50"], "HEALTH_TIMEOUT_MS"),
        (["STORAGE_SQLITE_SYNCHRONOUS": "off"], "STORAGE_SQLITE_SYNCHRONOUS"),
        (["STORAGE_AUTO_MIGRATE": "maybe"], "STORAGE_AUTO_MIGRATE"),
        (["STORAGE_KIND": "postgres", "PGUSER": "u", "PGPASSWORD": "p", "PGPORT": "0"], "PGPORT"),
    ])
    func badSettings(env: [String: String], variable: String) async throws {
        let error = try #require(await Self.failure(env))
        #expect(error.description.contains(variable), "\(error)")
        #expect(!error.description.contains("\n"))
    }

    @Test func badFlagsStopTheStartToo() async throws {
        let error = try #require(await Self.failure([:], flags: ["http.port": "abc"]))
        #expect(error.description.contains("HTTP_PORT") && error.description.contains("'abc'"), "\(error)")
    }

    static func withConfigFile<T>(_ json: String, _ body: (String) async throws -> T) async throws -> T {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID())")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try json.write(to: dir.appendingPathComponent("dev.json"), atomically: true, encoding: .utf8)
        return try await body(dir.path)
    }

    @Test func configFileIsReadAndEnvironmentWins() async throws {
        let s = try await Self.withConfigFile(
            #"{"http": {"port": 8123, "host": "127.0.0.2"}, "storage": {"sqlite": {"path": "from-file.sqlite"}}}"#
        ) { dir in
            try await Self.load(["HTTP_HOST": "127.0.0.3"], dir: dir)
        }
        #expect(s.port == 8123 && s.host == "127.0.0.3")
        #expect(s.storage == .sqlite(path: "from-file.sqlite", synchronous: .full))
    }

    @Test func aFileValueOfTheWrongTypeStopsTheStart() async throws {
        for json in [#"{"http": {"port": "eighty"}}"#, #"{"storage": {"autoMigrate": "sometimes"}}"#, "{not json"] {
            await #expect(throws: SettingsError.self, "\(json)") {
                try await Self.withConfigFile(json) { dir in try await Self.load(["APP_SETTINGS": "dev"], dir: dir) }
            }
        }
    }

    @Test func shippedConfigFilesParse() async throws {
        let dev = try await Self.load(["APP_SETTINGS": "dev"], dir: Self.shippedConfig)
        #expect(dev.storage.kind == .sqlite && dev.broker == .memory)
        let prod = try await Self.load(Self.prod, dir: Self.shippedConfig)
        #expect(prod.storage.kind == .postgres && prod.broker.kind == .redis && prod.sessions.kind == .redis)
    }

    /// The README's dev column is SettingsDefaults, and every default key is in the table.
    @Test func readmeListsTheDefaults() throws {
        let readme = try String(
            contentsOfFile: URL(fileURLWithPath: Self.shippedConfig).deletingLastPathComponent()
                .appendingPathComponent("README.md").path,
            encoding: .utf8)
        var listed: [String: String] = [:]
        for line in readme.split(separator: "\n") where line.hasPrefix("| `") {
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "`"))
            }
            if cells.count > 3 { listed[cells[1]] = cells[3] }
        }
        for (key, value) in SettingsDefaults.values where key != "jwt.secret" {
            let text: String
            switch value.content {
            case .string(let string): text = string
            case .int(let int): text = String(int)
            case .bool(let bool): text = String(bool)
            default: text = "\(value.content)"
            }
            #expect(listed[key.description] == text, "\(key)")
        }
    }

    @Test func testingSettingsAreTheDefaultsOnTheirOwnFile() throws {
        let s = try AppSettings.testing(sqlitePath: "/tmp/t.sqlite")
        #expect(s.storage == .sqlite(path: "/tmp/t.sqlite", synchronous: .full))
        #expect(s.bcryptCost == 4 && s.port == 0 && s.host == "127.0.0.1")
    }
}
