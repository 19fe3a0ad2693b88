import AuctionCore
import Foundation
import SQLiteBackend
import Testing

/// What only the SQLite store has: its file, its durability setting, its errors.
@Suite("SQLite store")
struct SQLiteStoreTests {
    @Test("synchronous is FULL by default, NORMAL on request")
    func synchronousSetting() async throws {
        #expect(try await SQLiteStore.temporary().synchronous() == .full)
        #expect(try await SQLiteStore.temporary(synchronous: .normal).synchronous() == .normal)
    }

    @Test("a database that cannot be opened is unavailable")
    func cannotOpen() throws {
        let path = "/nonexistent-\(UUID().uuidString)/auction.sqlite"
        #expect {
            _ = try SQLiteStore(path: path)
        } throws: { error in
            if case AuctionError.unavailable = error { return true }
            return false
        }
    }

    @Test("a fresh file is not current until migrated; run returns at once")
    func freshSchema() async throws {
        let store = try SQLiteStore.temporary()
        try await store.run()
        #expect(try await store.isSchemaCurrent() == false)
        try await store.migrate()
        #expect(try await store.isSchemaCurrent())
    }

    @Test("data survives closing and reopening the file")
    func reopen() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auction-reopen-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auction.sqlite").path

        let user: User
        do {
            let store = try SQLiteStore(path: path)
            try await store.migrate()
            user = try await store.createUser(username: "alice", passwordHash: "hash")
        }
        let reopened = try SQLiteStore(path: path)
        #expect(try await reopened.isSchemaCurrent())
        #expect(try await reopened.user(named: "alice") == user)
    }

    @Test("a temporary store removes its file when released")
    func temporaryCleanup() async throws {
        var store: SQLiteStore? = try SQLiteStore.temporary()
        let path = try #require(store?.path)
        try await store?.migrate()
        #expect(FileManager.default.fileExists(atPath: path))
        store = nil
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("an unknown user cannot own a lot or bid")
    func unknownUser() async throws {
        let store = try SQLiteStore.temporary()
        try await store.migrate()
        await #expect(throws: AuctionError.userNotFound) {
            try await store.createLot(
                NewLot(title: "T", description: "D", startingPrice: .cent, ownerID: 42), now: Date()
            )
        }
        let owner = try await store.createUser(username: "owner", passwordHash: "h")
        let lot = try await store.createLot(
            NewLot(title: "T", description: "D", startingPrice: .cent, ownerID: owner.id), now: Date()
        )
        await #expect(throws: AuctionError.userNotFound) {
            try await store.placeBid(lotID: lot.id, bidderID: 42, amount: Money(cents: 100), mode: .create, now: Date())
        }
        #expect(try await store.lot(id: lot.id) == lot)
    }
}
