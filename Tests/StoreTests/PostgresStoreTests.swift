import AuctionCore
import Foundation
import PostgresNIO
import Testing
import TestSupport

@testable import PostgresBackend

/// PostgreSQL-specific behaviour of `PostgresStore`: migrations, the one-statement
/// bid and its event text, concurrency across stores ("processes"), and faults.
/// The behaviour every store shares is in the conformance suite.
@Suite("PostgresStore")
struct PostgresStoreTests {
    // MARK: Migrations

    @Test("migrations are applied once and recorded once")
    func migrationsRecordedOnce() async throws {
        try await withFreshPostgresStore(migrated: false) { store in
            #expect(try await store.isSchemaCurrent() == false)
            try await store.migrate()
            #expect(try await store.isSchemaCurrent())
            try await store.migrate()
            let versions = try await store.withDirectConnection { connection in
                try await connection.query("SELECT version FROM schema_migrations ORDER BY version", logger: PostgresTestDatabase.logger)
                    .decode(Int64.self).all()
            }
            #expect(versions == PostgresMigrations.all.map(\.version))
        }
    }

    @Test("two stores migrating the same schema at once both succeed, each version once")
    func concurrentMigrate() async throws {
        try await withFreshPostgresStore(migrated: false) { store in
            try await withSecondPostgresStore(sharing: store) { other in
                async let first: Void = store.migrate()
                async let second: Void = other.migrate()
                _ = try await (first, second)
                #expect(try await other.isSchemaCurrent())
            }
            let counts = try await store.withDirectConnection { connection in
                try await connection.query("SELECT version, count(*) FROM schema_migrations GROUP BY version", logger: PostgresTestDatabase.logger)
                    .decode((Int64, Int64).self).all()
            }
            #expect(counts.count == PostgresMigrations.all.count)
            #expect(counts.allSatisfy { $0.1 == 1 })
        }
    }

    // MARK: Event text

    @Test(
        "stored events are byte for byte AuctionEvent.json",
        arguments: ["plain", "q\"uo\\te\n\t\r", "ctl\u{1}\u{8}\u{c}\u{1f}", "é😀\u{2028}</script>"]
    )
    func eventTextIsCoreText(bidderName: String) async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser(bidderName)
            let now = Date(timeIntervalSince1970: 1_764_387_657.1239)
            let lot = try await store.makeLot(
                owner: owner, startingCents: 1000, endsAt: now.addingTimeInterval(5), softCloseSeconds: 30, now: now
            )
            let at = Timestamp.truncated(now)
            let first = try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 1250), mode: .create, now: now
            )
            let raised = try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 1305), mode: .raise, now: now
            )
            let finished = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            let expected = [
                AuctionEvent(lotID: lot.id, seq: 1, at: at, kind: .bidPlaced(bidder: bidderName, amount: Money(cents: 1250))),
                AuctionEvent(lotID: lot.id, seq: 2, at: at, kind: .extended(endsAt: Timestamp.date(milliseconds: Timestamp.milliseconds(at) + 30_000))),
                AuctionEvent(lotID: lot.id, seq: 3, at: at, kind: .bidPlaced(bidder: bidderName, amount: Money(cents: 1305))),
                AuctionEvent(lotID: lot.id, seq: 4, at: at, kind: .statusChanged(.finished)),
            ].map(\.record)
            #expect(first.events + raised.events + finished == expected)
            #expect(try await store.events(lotID: lot.id, since: 0, limit: 100) == expected)
            #expect(try await store.lot(id: lot.id)?.seq == 4)
        }
    }

    // MARK: Bids

    @Test("a bid in the soft-close window moves the end; one outside does not")
    func antiSniping() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let now = Timestamp.truncated(Date())
            let closing = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(10), softCloseSeconds: 60, now: now)
            let outcome = try await store.placeBid(lotID: closing.id, bidderID: bidder.id, amount: Money(cents: 200), mode: .create, now: now)
            let newEnd = Timestamp.date(milliseconds: Timestamp.milliseconds(now) + 60_000)
            #expect(outcome.events.map(\.seq) == [1, 2])
            #expect(outcome.events[1] == AuctionEvent(lotID: closing.id, seq: 2, at: now, kind: .extended(endsAt: newEnd)).record)
            let extended = try #require(try await store.lot(id: closing.id))
            #expect(extended.endsAt == newEnd)
            #expect(extended.seq == 2)

            let distant = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(120), softCloseSeconds: 60, now: now)
            let plain = try await store.placeBid(lotID: distant.id, bidderID: bidder.id, amount: Money(cents: 200), mode: .create, now: now)
            #expect(plain.events.map(\.seq) == [1])
            #expect(try await store.lot(id: distant.id)?.endsAt == distant.endsAt)
        }
    }

    @Test("a refused bid is named by BiddingRules and changes nothing")
    func refusals() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let alice = try await store.makeUser()
            let bob = try await store.makeUser()
            let now = Date()
            let lot = try await store.makeLot(owner: owner, startingCents: 1000, minIncrementCents: 50)
            func bid(_ user: User, _ cents: Int64, _ mode: BidMode, lotID: Int64? = nil, at: Date = now) async -> AuctionError? {
                await auctionError {
                    _ = try await store.placeBid(lotID: lotID ?? lot.id, bidderID: user.id, amount: Money(cents: cents), mode: mode, now: at)
                }
            }
            #expect(await bid(alice, 5000, .create, lotID: lot.id + 1000) == .lotNotFound)
            #expect(await bid(owner, 5000, .create) == .ownLot)
            #expect(await bid(alice, 1049, .create) == .bidTooLow(minimum: Money(cents: 1050)))
            #expect(await bid(alice, 5000, .raise) == .noBidYet)
            #expect(await bid(alice, 1050, .create) == nil)
            #expect(await bid(alice, 5000, .create) == .alreadyBid)
            #expect(await bid(bob, 1099, .create) == .bidTooLow(minimum: Money(cents: 1100)))
            #expect(await bid(alice, 1100, .raise) == nil)
            let expired = try await store.makeLot(owner: owner, endsAt: now.addingTimeInterval(-1), now: now.addingTimeInterval(-10))
            #expect(await bid(alice, 5000, .create, lotID: expired.id) == .lotFinished)
            _ = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            #expect(await bid(bob, 9000, .create) == .lotFinished)

            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.highestPrice == Money(cents: 1100))
            #expect(after.highestBidder == alice.username)
            #expect(after.bidCount == 1)
            #expect(after.seq == 3)
            #expect(try await store.bids(lotID: lot.id).map(\.amount) == [Money(cents: 1100)])
        }
    }

    @Test("the same bidder creating ten bids at once gets exactly one")
    func concurrentCreatesBySameBidder() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner)
            let results = await withTaskGroup(of: AuctionError?.self) { group in
                for index in 0..<10 {
                    group.addTask {
                        await auctionError {
                            _ = try await store.placeBid(
                                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 200 + Int64(index)),
                                mode: .create, now: Date()
                            )
                        }
                    }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.filter { $0 == nil }.count == 1)
            #expect(results.compactMap { $0 }.allSatisfy { $0 == .alreadyBid })
            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.bidCount == 1)
            #expect(after.seq == 1)
        }
    }

    @Test("200 bids from 50 users on one lot: serialized, numbered without gaps")
    func bidRace() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner, startingCents: 100)
            var users: [User] = []
            for index in 0..<50 { users.append(try await store.makeUser("racer-\(index)")) }

            struct Tally: Sendable {
                var accepted: [BidOutcome] = []
                var refusals: [AuctionError] = []
            }
            let started = ContinuousClock.now
            let tally = try await withThrowingTaskGroup(of: Tally.self) { group in
                for user in users {
                    group.addTask {
                        var tally = Tally()
                        var hasBid = false
                        // Like a client: bid a little above the last price seen,
                        // learning the current minimum from each refusal.
                        var seen: Int64 = 100
                        for _ in 0..<4 {
                            let amount = Money(cents: seen + Int64.random(in: 1...300))
                            do {
                                let outcome = try await store.placeBid(
                                    lotID: lot.id, bidderID: user.id, amount: amount, mode: hasBid ? .raise : .create,
                                    now: Date()
                                )
                                tally.accepted.append(outcome)
                                hasBid = true
                                seen = amount.cents
                            } catch let refusal as AuctionError {
                                tally.refusals.append(refusal)
                                if case .bidTooLow(let minimum) = refusal { seen = minimum.cents - 1 }
                            }
                        }
                        return tally
                    }
                }
                return try await group.reduce(into: Tally()) {
                    $0.accepted += $1.accepted
                    $0.refusals += $1.refusals
                }
            }
            let seconds = Double((ContinuousClock.now - started).components.attoseconds) / 1e18
                + Double((ContinuousClock.now - started).components.seconds)
            let accepted = tally.accepted.sorted { $0.events[0].seq < $1.events[0].seq }
            print(
                "postgres bid race: \(accepted.count) accepted, \(tally.refusals.count) rejected, "
                    + String(format: "%.2f s, %.0f bids/s", seconds, 200 / seconds)
            )
            #expect(accepted.count + tally.refusals.count == 200)
            #expect(tally.refusals.allSatisfy { if case .bidTooLow = $0 { true } else { false } })
            // Numbered 1...n without gaps, amounts strictly rising in that order.
            #expect(accepted.map { $0.events[0].seq } == Array(1...Int64(accepted.count)))
            let amounts = accepted.map(\.bid.amount)
            #expect(zip(amounts, amounts.dropFirst()).allSatisfy { $0 < $1 })
            let final = try #require(try await store.lot(id: lot.id))
            #expect(final.highestPrice == amounts.max())
            #expect(final.highestBidder == accepted.last?.bid.bidder)
            #expect(final.seq == Int64(accepted.count))
            #expect(final.bidCount == Set(accepted.map(\.bid.bidderID)).count)
            #expect(try await store.events(lotID: lot.id, since: 0, limit: 1000) == accepted.flatMap(\.events))
            let bids = try await store.bids(lotID: lot.id)
            #expect(bids.count == final.bidCount)
            #expect(bids.first?.amount == final.highestPrice)
        }
    }

    // MARK: Status and closing

    @Test("setStatus: owner only, no reopening, same status changes nothing")
    func setStatusRules() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let other = try await store.makeUser()
            let lot = try await store.makeLot(owner: owner)
            let now = Date()
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id + 99, status: .finished, by: owner.id, now: now) } == .lotNotFound)
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id, status: .finished, by: other.id, now: now) } == .notOwner)
            #expect(try await store.setStatus(lotID: lot.id, status: .running, by: owner.id, now: now) == [])
            #expect(try await store.lot(id: lot.id)?.seq == 0)
            let events = try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now)
            #expect(events.map(\.seq) == [1])
            #expect(try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: now) == [])
            #expect(await auctionError { _ = try await store.setStatus(lotID: lot.id, status: .running, by: owner.id, now: now) } == .cannotReopen)
            let after = try #require(try await store.lot(id: lot.id))
            #expect(after.status == .finished)
            #expect(after.seq == 1)
        }
    }

    @Test("expired lots are closed exactly once by concurrent closers in two stores")
    func closeExpiredConcurrently() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidder = try await store.makeUser("win\"ner")
            let created = Date().addingTimeInterval(-100)
            var lots: [Lot] = []
            for index in 0..<20 {
                let lot = try await store.makeLot(owner: owner, endsAt: created.addingTimeInterval(50), now: created)
                if index.isMultiple(of: 2) {
                    _ = try await store.placeBid(lotID: lot.id, bidderID: bidder.id, amount: Money(cents: 150 + Int64(index)), mode: .create, now: created)
                }
                lots.append(lot)
            }
            let open = try await store.makeLot(owner: owner, endsAt: Date().addingTimeInterval(3600))
            let now = Date()
            let records = try await withSecondPostgresStore(sharing: store) { other in
                try await withThrowingTaskGroup(of: [EventRecord].self) { group in
                    for index in 0..<6 {
                        let closer = index.isMultiple(of: 2) ? store : other
                        group.addTask { try await closer.closeExpiredLots(now: now, limit: 7) }
                    }
                    return try await group.reduce(into: []) { $0 += $1 }
                }
            }
            // Six calls of at most 7 lots each can cover all 20 only if none is taken twice.
            #expect(records.count == 40)
            #expect(Set(records.map(\.lotID)) == Set(lots.map(\.id)))
            #expect(try await store.closeExpiredLots(now: now, limit: 100) == [])
            let at = Timestamp.truncated(now)
            for (index, lot) in lots.enumerated() {
                let hasWinner = index.isMultiple(of: 2)
                let seq: Int64 = hasWinner ? 1 : 0
                let expected = [
                    AuctionEvent(lotID: lot.id, seq: seq + 1, at: at, kind: .statusChanged(.finished)),
                    AuctionEvent(
                        lotID: lot.id, seq: seq + 2, at: at,
                        kind: .closed(winner: hasWinner ? bidder.username : nil, amount: hasWinner ? Money(cents: 150 + Int64(index)) : nil)
                    ),
                ].map(\.record)
                #expect(try await store.events(lotID: lot.id, since: seq, limit: 10) == expected)
                #expect(records.filter { $0.lotID == lot.id } == expected)
                #expect(try await store.lot(id: lot.id)?.status == .finished)
            }
            #expect(try await store.lot(id: open.id)?.status == .running)
        }
    }

    // MARK: Reads

    @Test("listing, paging, bids, events and latest numbers")
    func reads() async throws {
        try await withFreshPostgresStore { store in
            let owner = try await store.makeUser()
            let bidders = [try await store.makeUser(), try await store.makeUser(), try await store.makeUser()]
            var lots: [Lot] = []
            for _ in 0..<5 { lots.append(try await store.makeLot(owner: owner)) }
            _ = try await store.setStatus(lotID: lots[1].id, status: .finished, by: owner.id, now: Date())
            for (index, bidder) in bidders.enumerated() {
                _ = try await store.placeBid(lotID: lots[4].id, bidderID: bidder.id, amount: Money(cents: 200 + Int64(index) * 100), mode: .create, now: Date())
            }
            let ids = lots.map(\.id)
            #expect(try await store.lots(filter: .all, limit: 100, after: nil).map(\.id) == ids.reversed())
            #expect(try await store.lots(filter: .running, limit: 2, after: nil).map(\.id) == [ids[4], ids[3]])
            #expect(try await store.lots(filter: .running, limit: 2, after: ids[3]).map(\.id) == [ids[2], ids[0]])
            #expect(try await store.lots(filter: .finished, limit: 10, after: nil).map(\.id) == [ids[1]])
            let top = try #require(try await store.lot(id: ids[4]))
            #expect(top.highestBidder == bidders[2].username)
            #expect(top.owner == owner.username)
            #expect(try await store.bids(lotID: ids[4]).map(\.bidder) == bidders.reversed().map(\.username))
            #expect(try await store.bids(lotID: ids[0]) == [])
            #expect(await auctionError { _ = try await store.bids(lotID: ids[4] + 100) } == .lotNotFound)
            #expect(try await store.events(lotID: ids[4], since: 1, limit: 1).map(\.seq) == [2])
            #expect(try await store.latestSeqs(lotIDs: [ids[0], ids[1], ids[4], ids[4] + 100]) == [ids[0]: 0, ids[1]: 1, ids[4]: 3])
        }
    }

    @Test("accounts: a taken name is usernameTaken")
    func accounts() async throws {
        try await withFreshPostgresStore { store in
            let user = try await store.makeUser("alice")
            #expect(await auctionError { _ = try await store.makeUser("alice") } == .usernameTaken)
            #expect(try await store.user(named: "alice") == user)
            #expect(try await store.user(id: user.id) == user)
            #expect(try await store.user(named: "bob") == nil)
        }
    }

    // MARK: Configuration and faults

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
        let timeout = Duration.seconds(2)
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
                #expect(elapsed < timeout + .seconds(1), "\(name) took \(elapsed)")
            }

            try await cluster.resume()
            let resumed = ContinuousClock.now
            var recovered = false
            while ContinuousClock.now - resumed < .seconds(30) {
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
