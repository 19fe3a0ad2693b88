import AuctionCore
import Foundation
import GRDB

/// `AuctionStore` on one SQLite file, through a GRDB `DatabasePool` in WAL mode.
///
/// GRDB keeps a single writer connection, so every write closure runs alone and
/// the read-check-update of a bid cannot interleave with another; readers use
/// their own connections and never wait for the writer.
public final class SQLiteStore: Sendable {
    let dbPool: DatabasePool
    /// Set for a temporary store: the folder removed when the store goes away.
    private let temporaryDirectory: URL?

    /// How long a write waits for another process's write lock before giving up.
    static let busyTimeout: TimeInterval = 5

    /// Opens (creating when missing) the database at `path`. Call `migrate()` before use.
    /// Throws `AuctionError.unavailable` when the file cannot be opened.
    public convenience init(path: String, synchronous: SQLiteSynchronous = .full) throws {
        try self.init(path: path, synchronous: synchronous, temporaryDirectory: nil)
    }

    private init(path: String, synchronous: SQLiteSynchronous, temporaryDirectory: URL?) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "auction"
        do {
            dbPool = try DatabasePool(path: path, configuration: configuration)
            // After the pool exists: opening in WAL mode sets synchronous = NORMAL
            // on the writer, overriding anything set while preparing connections.
            try dbPool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
            }
        } catch let error as DatabaseError {
            throw SQLiteErrors.map(error)
        }
        self.temporaryDirectory = temporaryDirectory
    }

    /// A store on a fresh file in its own temporary folder, deleted with the store
    /// (for tests). Call `migrate()` before use.
    package static func temporary(synchronous: SQLiteSynchronous = .full) throws -> SQLiteStore {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("auction-sqlite-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("auction.sqlite").path
        return try SQLiteStore(path: path, synchronous: synchronous, temporaryDirectory: directory)
    }

    deinit {
        guard let temporaryDirectory else { return }
        try? dbPool.close()
        try? FileManager.default.removeItem(at: temporaryDirectory)
    }

    /// The path of the database file.
    public var path: String { dbPool.path }

    /// The synchronous setting of the writer connection, as SQLite reports it.
    package func synchronous() async throws -> SQLiteSynchronous? {
        let value = try await writeWithoutTransaction { db in
            try Int.fetchOne(db, sql: "PRAGMA synchronous")
        }
        return SQLiteSynchronous.allCases.first { $0.pragmaValue == value }
    }

    // MARK: Database access with errors mapped

    /// One write transaction. `AuctionError`s thrown by `body` roll it back and pass through.
    func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbPool.write(body)
        } catch let error as DatabaseError {
            throw SQLiteErrors.map(error)
        }
    }

    func writeWithoutTransaction<T: Sendable>(
        _ body: @escaping @Sendable (Database) throws -> T
    ) async throws -> T {
        do {
            return try await dbPool.writeWithoutTransaction(body)
        } catch let error as DatabaseError {
            throw SQLiteErrors.map(error)
        }
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await dbPool.read(body)
        } catch let error as DatabaseError {
            throw SQLiteErrors.map(error)
        }
    }
}
