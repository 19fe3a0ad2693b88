import Foundation
import Testing
import TestSupport

/// `auction check` against the test PostgreSQL over TLS (`ssl=on`, a certificate
/// for `localhost` from a CA made by scripts/lib/postgres.sh), on the database
/// that refuses plain TCP: it says ok, or in one line why not.
@Suite("auction check: PostgreSQL over TLS")
struct PostgresTLSCheckTests {
    static func environment(host: String = "localhost", _ tls: [String: String]) throws -> [String: String] {
        let url = try ServiceEnvironment.postgresURL()
        var env = CheckCommandTests.sqlite()
        env.merge([
            "STORAGE_KIND": "postgres", "PGHOST": host, "PGPORT": String(url.port ?? 5432),
            "PGUSER": url.user ?? "", "PGPASSWORD": url.password ?? "",
            "PGDATABASE": ServiceEnvironment.postgresTLSOnlyDatabase,
        ]) { $1 }
        return env.merging(tls) { $1 }
    }

    /// The `storage:` line and the exit status.
    static func storageLine(_ env: [String: String]) async throws -> (Int32, String) {
        let run = try await FinishedProcess.run(Executables.url("auction"), ["check"], environment: env)
        let line = try #require(run.lines.first { $0.hasPrefix("storage: ") }, "\(run.output) \(run.errors)")
        return (run.status, line)
    }

    @Test func requireAndVerifyFullWithTheCAAnswer() async throws {
        let port = try ServiceEnvironment.postgresURL().port ?? 5432
        let required = try await Self.storageLine(Self.environment(host: "127.0.0.1", ["PGSSLMODE": "require"]))
        #expect(required == (0, "storage: postgres 127.0.0.1:\(port)/auction_tls_only sslmode require: ok"))
        let verified = try await Self.storageLine(
            Self.environment(["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ServiceEnvironment.postgresCA()]))
        #expect(verified == (0, "storage: postgres localhost:\(port)/auction_tls_only sslmode verify-full: ok"))
    }

    @Test func theWrongCAIsOneClearLine() async throws {
        // A copy: the test cluster's folder is named after its user, whose password is
        // the same word, and check hides passwords wherever they appear.
        let other = FileManager.default.temporaryDirectory.appendingPathComponent("other-ca-\(UUID()).pem").path
        try FileManager.default.copyItem(atPath: ServiceEnvironment.postgresOtherCA(), toPath: other)
        defer { try? FileManager.default.removeItem(atPath: other) }
        let (status, line) = try await Self.storageLine(Self.environment(["PGSSLMODE": "verify-full", "PGSSLROOTCERT": other]))
        #expect(status == 1)
        #expect(line.hasSuffix(": failed: TLS: the server's certificate is not signed by a CA in the CA file \(other)"), "\(line)")
    }

    @Test func aHostTheCertificateDoesNotNameIsOneClearLine() async throws {
        let env = try Self.environment(host: "127.0.0.1", ["PGSSLMODE": "verify-full", "PGSSLROOTCERT": ServiceEnvironment.postgresCA()])
        let (status, line) = try await Self.storageLine(env)
        #expect(status == 1)
        #expect(line.hasSuffix(": failed: TLS: the server's certificate does not name the host 127.0.0.1"), "\(line)")
    }

    @Test func disableIsPlainTCP() async throws {
        // The TLS-only database refuses it, which shows that disable sends no TLS.
        let (status, line) = try await Self.storageLine(Self.environment(["PGSSLMODE": "disable"]))
        #expect(status == 1 && line.contains(": failed: the server refused: ") && line.contains("no encryption"), "\(line)")
        // On the ordinary database the same plain connection answers.
        var plain = try Self.environment(["PGSSLMODE": "disable"])
        plain["PGDATABASE"] = try ServiceEnvironment.postgresURL().lastPathComponent
        #expect(try await Self.storageLine(plain).0 == 0)
    }
}
