@testable import AuctionServer
import Foundation
import PostgresBackend
import Testing
import TestSupport

/// `PGSSLMODE` and `PGSSLROOTCERT` (the keys `storage.postgres.sslMode` and
/// `storage.postgres.sslRootCert`) reach the store's configuration; a bad value
/// stops the start with one line. `amqps://` is a broker URL.
@Suite("TLS settings")
struct TLSSettingsTests {
    static let postgres = ["STORAGE_KIND": "postgres", "PGUSER": "u", "PGPASSWORD": "p"]

    static func load(_ env: [String: String]) async throws -> PostgresSettings {
        let settings = try await SettingsLoader(
            environmentVariables: postgres.merging(env) { $1 }, configDirectory: SettingsTests.emptyConfig
        ).loadStorage()
        guard case .postgres(let pg) = settings else { throw SettingsError(key: "storage.kind", environmentVariable: "", problem: "not postgres") }
        return pg
    }

    static func failure(_ env: [String: String]) async -> String? {
        do {
            _ = try await load(env)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func plainByDefault() async throws {
        let pg = try await Self.load([:])
        #expect(pg.sslMode == .disable && pg.sslRootCert == nil)
        #expect(pg.storeConfiguration.sslMode == .disable && pg.storeConfiguration.sslRootCert == nil)
    }

    @Test func modeAndCAFileReachTheStore() async throws {
        let ca = try ServiceEnvironment.postgresCA()
        let pg = try await Self.load(["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ca, "PGHOST": "db.example"])
        let store = pg.storeConfiguration
        #expect(store.sslMode == .verifyFull && store.sslRootCert == ca && store.host == "db.example")
        // The key's own variable works too.
        let required = try await Self.load(["STORAGE_POSTGRES_SSL_MODE": "require"])
        #expect(required.storeConfiguration.sslMode == .require)
    }

    @Test func anUnknownModeIsOneLineNamingTheVariable() async {
        #expect(await Self.failure(["PGSSLMODE": "prefer"])
            == "configuration error: storage.postgres.sslMode (STORAGE_POSTGRES_SSL_MODE or PGSSLMODE) must be one of disable, require, verify-full, got 'prefer'")
    }

    @Test func aCAFileThatIsMissingOrNotPEMStopsTheStart() async throws {
        let missing = "/nonexistent/ca-\(UUID()).pem"
        let text = try #require(await Self.failure(["PGSSLMODE": "verify-full", "PGSSLROOTCERT": missing]))
        #expect(text.hasPrefix("configuration error: storage.postgres.sslRootCert (STORAGE_POSTGRES_SSL_ROOT_CERT or PGSSLROOTCERT) names \(missing), which "))
        let notPEM = FileManager.default.temporaryDirectory.appendingPathComponent("not-a-ca-\(UUID()).pem").path
        try "hello".write(toFile: notPEM, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: notPEM) }
        let bad = try #require(await Self.failure(["PGSSLROOTCERT": notPEM]))
        #expect(bad.contains("PGSSLROOTCERT") && !bad.contains("\n"), "\(bad)")
    }

    @Test func anAMQPSBrokerURLIsTaken() async throws {
        let url = "amqps://u:p@rabbit.example/%2F?cacertfile=/etc/ca.pem"
        let settings = try await SettingsLoader(
            environmentVariables: ["BROKER_KIND": "amqp", "BROKER_URL": url], configDirectory: SettingsTests.emptyConfig
        ).load()
        #expect(settings.broker == .amqp(try #require(URL(string: url)), exchange: "auction.events"))
        #expect(DependencyCheck.describe(settings.broker) == "amqps rabbit.example:5671 exchange auction.events")
        let refused = await SettingsTests.failure(["BROKER_KIND": "amqp", "BROKER_URL": "https://rabbit.example"])
        #expect(refused?.description == "configuration error: broker.url (BROKER_URL) must be a amqp:// or amqps:// URL for broker.kind amqp")
    }
}
