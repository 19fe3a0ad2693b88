import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// The PostgreSQL URL, and a server that goes down and comes back.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgreSQL configuration and faults")
struct PostgresFaultTests {
    @Test("a postgres:// URL gives host, port, user, password and database")
    func configurationFromURL() throws {
        let configuration = try PostgresStore.Configuration(url: #require(URL(string: "postgres://us%40er:p%3Ass@db.local:6543/auction")))
        #expect(configuration.host == "db.local")
        #expect(configuration.port == 6543)
        #expect(configuration.username == "us@er")
        #expect(configuration.password == "p:ss")
        #expect(configuration.database == "auction")
        #expect(configuration.queryTimeout == .seconds(5))
        #expect(throws: PostgresStore.Configuration.InvalidURL.self) {
            try PostgresStore.Configuration(url: #require(URL(string: "mysql://u@h/db")))
        }
    }

    @Test("PostgreSQL down: every call fails in bounded time with .unavailable; back up: calls succeed again")
    func serverDownAndBack() async throws {
        let cluster = try await ThrowawayPostgresCluster.start()
        do {
            try await Self.exerciseOutage(on: cluster)
        } catch {
            await cluster.stop()
            throw error
        }
        await cluster.stop()
    }

    private static func exerciseOutage(on cluster: ThrowawayPostgresCluster) async throws {
        // 10 s: the set-up before the pause runs under the same timeout, and a loaded
        // machine exceeded 2 s there.
        let timeout = Duration.seconds(10)
        let base = try PostgresStore.Configuration(url: cluster.url)
        let (store, cleanup) = try await makeFreshPostgresStore(base: base, queryTimeout: timeout)
        do {
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner)
            _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 200), mode: .create, now: Date())

            try await cluster.pause()
            let calls: [(String, @Sendable () async throws -> Void)] = [
                ("ping", { try await store.ping() }),
                ("lot", { _ = try await store.lot(id: lot.id) }),
                ("placeBid", { _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 300), mode: .raise, now: Date()) }),
                ("createUser", { _ = try await store.makeUser() }),
                ("events", { _ = try await store.events(lotID: lot.id, since: 0, limit: 10) }),
                ("closeExpiredLots", { _ = try await store.closeExpiredLots(now: Date(), limit: 10) }),
                ("migrate", { try await store.migrate() }),
            ]
            let failures = await withTaskGroup(of: (String, Duration, AuctionError?).self) { group in
                for (name, call) in calls {
                    group.addTask {
                        let started = ContinuousClock.now
                        let error = await auctionError(call)
                        return (name, ContinuousClock.now - started, error)
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for (name, elapsed, error) in failures {
                print("postgres down: \(name) failed after \(elapsed) with \(error.map { "\($0)" } ?? "no error")")
                #expect(error.isUnavailable, "\(name)")
                // 6x the query timeout, for a loaded CI machine; unbounded would hang while paused.
                #expect(elapsed < timeout * 6, "\(name) took \(elapsed)")
            }

            try await cluster.resume()
            let resumed = ContinuousClock.now
            var recovered = false
            while ContinuousClock.now - resumed < .seconds(120) {
                if (try? await store.ping()) != nil {
                    recovered = true
                    break
                }
                try await Task.sleep(for: .milliseconds(100))
            }
            print("postgres back: first successful call \(ContinuousClock.now - resumed) after restart")
            #expect(recovered)
            let raised = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 300), mode: .raise, now: Date())
            #expect(raised.events.map(\.seq) == [2])
        } catch {
            await cleanup()
            throw error
        }
        await cleanup()
    }
}

extension Optional where Wrapped == AuctionError {
    var isUnavailable: Bool {
        if case .unavailable = self { true } else { false }
    }
}
