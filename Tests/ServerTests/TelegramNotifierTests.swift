import AuctionCore
@testable import AuctionServer
import Foundation
import Logging
import Testing

/// The Telegram notifier against `FakeTelegram` on loopback, on both stores
/// (PostgreSQL: the test server's). Every wait is for a condition, bounded by a
/// deadline far above what it needs.
@Suite("Telegram notifier")
struct TelegramNotifierTests {
    static let token = "123456:SECRET-token-never-logged"
    static let deadline = Duration.seconds(60)
    /// Short waits, so that the retries are quick. The request timeout is far above
    /// a loopback answer even with the whole suite running on two cores: an answer
    /// later than it is sent again (at least once), which these tests would see as
    /// a duplicate. The lease outlasts it.
    static let timing = TelegramNotifier.Timing(
        pollInterval: .milliseconds(50), lease: .seconds(30), requestTimeout: .seconds(5),
        retryInitial: .milliseconds(10), retryMaximum: .milliseconds(100))

    static func settings(apiURL: String, events: Set<String> = Set(TelegramSettings.eventTypes)) -> TelegramSettings {
        TelegramSettings(botToken: token, chatID: "-100200300", apiURL: apiURL, events: events)
    }

    /// A notifier running until `stop` is called.
    struct Running {
        let task: Task<Void, any Error>

        func stop() async {
            task.cancel()
            _ = await task.result
        }
    }

    /// Starts a notifier as `holder`, having taken the lease for it first, so
    /// that events written after this call are sent (a first lease starts after the log).
    static func start(
        _ store: any AuctionStore & NotifierStore, apiURL: String, holder: String, lines: LogLines = LogLines(),
        events: Set<String> = Set(TelegramSettings.eventTypes), takeLease: Bool = true
    ) async throws -> Running {
        if takeLease {
            let now = Date()
            _ = try await store.acquireNotifierLease(
                TelegramNotifier.name, holder: holder, now: now, expiry: now.addingTimeInterval(30))
        }
        var logger = Logger(label: "telegram-test") { LineLogHandler(label: $0, format: .text, output: lines.output) }
        logger.logLevel = .info
        let notifier = TelegramNotifier(
            store: store, cursors: store, settings: settings(apiURL: apiURL, events: events), timing: timing,
            holder: holder, logger: logger)
        return Running(task: Task { try await notifier.run() })
    }

    /// Waits until `condition` holds, failing the test past the deadline.
    static func eventually(
        _ what: String, within deadline: Duration = deadline, _ condition: () async throws -> Bool
    ) async throws {
        let end = ContinuousClock.now + deadline
        while try await !condition() {
            guard ContinuousClock.now < end else {
                Issue.record("not within \(deadline): \(what)")
                throw CancellationError()
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Waits until `fake` has taken `expected` messages and the store's cursors
    /// are past every event (so nothing more will be sent), then checks that
    /// every message came once, each lot's in seq order.
    static func expectDelivered(
        _ expected: [String], by fake: FakeTelegram, store: any NotifierStore,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        try await eventually("\(expected.count) messages delivered, the cursors at the end") {
            guard fake.delivered.count >= expected.count else { return false }
            return try await store.notifierBacklog(TelegramNotifier.name, limit: 1).isEmpty
        }
        let delivered = fake.delivered
        #expect(delivered.sorted() == expected.sorted(), sourceLocation: sourceLocation)
        for lot in Set(expected.map(LogWriter.lotTag)) {
            #expect(
                delivered.filter { LogWriter.lotTag($0) == lot } == expected.filter { LogWriter.lotTag($0) == lot },
                "in seq order: \(lot)", sourceLocation: sourceLocation)
        }
    }

    @Test("every event arrives once and in order per lot", arguments: NotifierTestStore.allCases)
    func everyEventOnceInOrder(storage: NotifierTestStore) async throws {
        try await storage.with { open in
            let store = try await open()
            let fake = FakeTelegram()
            try await fake.serve { apiURL in
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a")
                let log = try await LogWriter(store: store)
                let expected = try await log.activity(lots: 3, bidsPerLot: 4)
                try await Self.expectDelivered(expected, by: fake, store: store)
                #expect(fake.requests.allSatisfy { $0.path == "/bot\(Self.token)/sendMessage" && $0.chatID == "-100200300" })
                await running.stop()
            }
        }
    }

    @Test("429 waits its retry_after; 500s and silences are retried; nothing lost or sent twice",
          arguments: NotifierTestStore.allCases)
    func catchesUpAfterFailures(storage: NotifierTestStore) async throws {
        try await storage.with { open in
            let store = try await open()
            // The first requests: two 429s (retry_after 1 s), three 500s, two silences (each until the client gives up).
            let fake = FakeTelegram { n, _ in
                switch n {
                case 1...2: .status(429, description: "Too Many Requests: retry after 1", retryAfter: 1)
                case 3...5: .status(500, description: "Internal Server Error")
                case 6...7: .silence
                default: .ok
                }
            }
            try await fake.serve { apiURL in
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a")
                let expected = try await LogWriter(store: store).activity(lots: 2, bidsPerLot: 3)
                try await Self.expectDelivered(expected, by: fake, store: store)
                let requests = fake.requests
                #expect(requests.prefix(7).map(\.status) == [429, 429, 500, 500, 500, 500, 500])
                // After each 429 the next request came no sooner than its retry_after.
                for index in 0..<2 {
                    #expect(requests[index + 1].at - requests[index].at >= .seconds(1), "request \(index + 2)")
                }
                await running.stop()
            }
        }
    }

    @Test("a restart resumes after the last event sent", arguments: NotifierTestStore.allCases)
    func restartResumes(storage: NotifierTestStore) async throws {
        try await storage.with { open in
            let fake = FakeTelegram()
            try await fake.serve { apiURL in
                let first = try await open()
                let running = try await Self.start(first, apiURL: apiURL, holder: "process-1")
                let log = try await LogWriter(store: first)
                let before = try await log.activity(lots: 2, bidsPerLot: 2)
                try await Self.expectDelivered(before, by: fake, store: first)
                await running.stop()

                // Written while no notifier runs; a new process on the same data sends them, and only them.
                let during = try await log.activity(lots: 1, bidsPerLot: 2, startingAt: 3)
                    + log.moreBids(on: log.lots[0], count: 2)
                let second = try await open()
                let restarted = try await Self.start(second, apiURL: apiURL, holder: "process-2", takeLease: false)
                try await Self.expectDelivered(before + during, by: fake, store: second)
                await restarted.stop()
            }
        }
    }

    @Test("two nodes on one PostgreSQL send each event once between them")
    func twoNodesSendOnce() async throws {
        try await NotifierTestStore.postgres.with { open in
            let fake = FakeTelegram()
            try await fake.serve { apiURL in
                let (storeA, storeB) = (try await open(), try await open())
                let nodeA = try await Self.start(storeA, apiURL: apiURL, holder: "node-a")
                let nodeB = try await Self.start(storeB, apiURL: apiURL, holder: "node-b", takeLease: false)
                let log = try await LogWriter(store: storeA)
                let first = try await log.activity(lots: 3, bidsPerLot: 3)
                try await Self.expectDelivered(first, by: fake, store: storeB)
                // The sender stops (giving its lease back): the other takes over and sends the rest.
                await nodeA.stop()
                let rest = try await log.activity(lots: 2, bidsPerLot: 3, startingAt: 4)
                try await Self.expectDelivered(first + rest, by: fake, store: storeA)
                await nodeB.stop()
            }
        }
    }

    @Test("a 400 is logged once and skipped; the events after it are sent")
    func rejectedIsSkippedOnce() async throws {
        try await NotifierTestStore.postgres.with { open in
            let store = try await open()
            let fake = FakeTelegram { _, text in
                text.contains("Broken") ? .status(400, description: "Bad Request: message is not allowed") : .ok
            }
            try await fake.serve { apiURL in
                let lines = LogLines()
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a", lines: lines)
                let log = try await LogWriter(store: store)
                let good = try await log.activity(lots: 1, bidsPerLot: 2)
                let broken = try await log.lot(title: "Broken")
                let refused = try await log.moreBids(on: broken, count: 1)
                let after = try await log.moreBids(on: log.lots[0], count: 1)
                try await Self.expectDelivered(good + after, by: fake, store: store)
                await running.stop()
                #expect(fake.requests.filter { $0.text == refused[0] }.count == 1)
                let logged = lines.all.filter { $0.contains("telegram refused an event") }
                #expect(logged.count == 1)
                #expect(logged.first?.contains("message is not allowed") == true)
            }
        }
    }

    @Test("only the event types of telegram.events are sent; the others move the cursor too")
    func eventTypesFilter() async throws {
        try await NotifierTestStore.sqlite.with { open in
            let store = try await open()
            let fake = FakeTelegram()
            try await fake.serve { apiURL in
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a", events: ["lot_status_changed"])
                let log = try await LogWriter(store: store)
                _ = try await log.activity(lots: 2, bidsPerLot: 2)
                let finished = try await log.finish(log.lots[1])
                try await Self.expectDelivered(finished.filter { $0.contains("now finished") }, by: fake, store: store)
                await running.stop()
            }
        }
    }

    @Test("a first start sends what happens from then on, not the log before it")
    func firstStartSkipsHistory() async throws {
        try await NotifierTestStore.sqlite.with { open in
            let store = try await open()
            let fake = FakeTelegram()
            try await fake.serve { apiURL in
                let log = try await LogWriter(store: store)
                _ = try await log.activity(lots: 2, bidsPerLot: 2)
                let lines = LogLines()
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a", lines: lines, takeLease: false)
                try await Self.eventually("the lease taken") { lines.all.contains { $0.contains("telegram: this node sends") } }
                let later = try await log.moreBids(on: log.lots[0], count: 1)
                try await Self.expectDelivered(later, by: fake, store: store)
                await running.stop()
            }
        }
    }

    @Test("a failing send's log lines never contain the token")
    func tokenNeverLogged() async throws {
        try await NotifierTestStore.sqlite.with { open in
            let store = try await open()
            // A server that echoes the path (with the token) in its error.
            let fake = FakeTelegram { _, _ in
                .status(502, description: "Bad Gateway for /bot\(Self.token)/sendMessage")
            }
            let lines = LogLines()
            try await fake.serve { apiURL in
                let running = try await Self.start(store, apiURL: apiURL, holder: "node-a", lines: lines)
                _ = try await LogWriter(store: store).activity(lots: 1, bidsPerLot: 1)
                try await Self.eventually("three failed sends logged") {
                    lines.all.filter { $0.contains("telegram send failed") }.count >= 3
                }
                await running.stop()
            }
            // No server at all: a connection error.
            let closed = try await fake.serve { apiURL in apiURL }
            let earlier = lines.all.count
            let running = try await Self.start(store, apiURL: closed, holder: "node-a", lines: lines)
            try await Self.eventually("failed connections logged") {
                lines.all.dropFirst(earlier).filter { $0.contains("telegram send failed") }.count >= 2
            }
            await running.stop()
            #expect(lines.all.contains { $0.contains("<token>") }, "the echoed token is shown redacted")
            #expect(!lines.all.contains { $0.contains(Self.token) || $0.contains("SECRET") })
        }
    }
}
