import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// The store's pool over TLS, against the test PostgreSQL (`ssl=on`, a certificate
/// for `localhost` from a CA made by scripts/lib/postgres.sh). The database used
/// here refuses plain TCP, so a ping that answers went over TLS.
@Suite("PostgreSQL over TLS")
struct PostgresTLSTests {
    static func configuration(
        host: String = "localhost", _ mode: PostgresSSLMode, rootCert: String? = nil
    ) throws -> PostgresStore.Configuration {
        var configuration = try PostgresTestDatabase.configuration()
        configuration.host = host
        configuration.database = ServiceEnvironment.postgresTLSOnlyDatabase
        configuration.sslMode = mode
        configuration.sslRootCert = rootCert
        configuration.queryTimeout = storeTestQueryTimeout
        return configuration
    }

    /// Runs the store's pool while `body` runs.
    static func withStore(_ configuration: PostgresStore.Configuration, _ body: (PostgresStore) async throws -> Void) async throws {
        let store = PostgresStore(configuration: configuration, logger: PostgresTestDatabase.logger)
        let running = Task { try await store.run() }
        defer { running.cancel() }
        try await body(store)
    }

    /// Whether the store's own connection is encrypted, as the server sees it.
    static func sessionUsesTLS(_ store: PostgresStore) async throws -> Bool {
        try await store.perform { client, logger in
            try await client.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", logger: logger)
                .decode(Bool.self).all()
        }.first ?? false
    }

    @Test func requireEncryptsWithoutCheckingTheCertificate() async throws {
        // 127.0.0.1 is not a name the certificate holds, and no CA is given: require does not care.
        try await Self.withStore(Self.configuration(host: "127.0.0.1", .require)) { store in
            try await store.ping()
            #expect(try await Self.sessionUsesTLS(store))
        }
    }

    @Test func verifyFullWithTheCAAndTheCertificatesHostName() async throws {
        try await Self.withStore(Self.configuration(.verifyFull, rootCert: ServiceEnvironment.postgresCA())) { store in
            try await store.ping()
            #expect(try await Self.sessionUsesTLS(store))
        }
    }

    @Test func refusedConnectionsMakeCallsUnavailableInBoundedTime() async throws {
        let refused = [
            ("disable, on a database that refuses plain TCP", try Self.configuration(.disable)),
            ("verify-full with the wrong CA", try Self.configuration(.verifyFull, rootCert: ServiceEnvironment.postgresOtherCA())),
            ("verify-full to a host the certificate does not name",
             try Self.configuration(host: "127.0.0.1", .verifyFull, rootCert: ServiceEnvironment.postgresCA())),
        ]
        for (name, refusedConfiguration) in refused {
            // A refused connection fails the call at the query timeout: 10 s, not the 120 s above.
            var configuration = refusedConfiguration
            configuration.queryTimeout = .seconds(10)
            try await Self.withStore(configuration) { store in
                await #expect(throws: AuctionError.self, "\(name)") { try await store.ping() }
            }
        }
    }

    @Test func theProbeSaysWhyInOneLine() async throws {
        func failure(_ configuration: PostgresStore.Configuration) async throws -> String {
            do {
                try await PostgresStore.probe(configuration, logger: PostgresTestDatabase.logger)
                return "it connected"
            } catch {
                return "\(error)"
            }
        }
        let ca = try ServiceEnvironment.postgresCA(), other = try ServiceEnvironment.postgresOtherCA()
        #expect(try await failure(Self.configuration(.verifyFull, rootCert: ca)) == "it connected")
        #expect(try await failure(Self.configuration(host: "127.0.0.1", .require)) == "it connected")
        #expect(
            try await failure(Self.configuration(.verifyFull, rootCert: other))
                == "TLS: the server's certificate is not signed by a CA in the CA file \(other)")
        #expect(
            try await failure(Self.configuration(host: "127.0.0.1", .verifyFull, rootCert: ca))
                == "TLS: the server's certificate does not name the host 127.0.0.1")
        let plain = try await failure(Self.configuration(.disable))
        #expect(plain.hasPrefix("the server refused: ") && plain.contains("no encryption"), "\(plain)")
    }
}
