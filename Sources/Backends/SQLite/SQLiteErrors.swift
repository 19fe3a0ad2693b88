import AuctionCore
import GRDB

/// Errors of the SQLite store that are not refusals of the auction rules.
public enum SQLiteStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A row the schema's constraints should have made impossible.
    case corruptRow(String)

    public var description: String {
        switch self {
        case .corruptRow(let what): "unexpected database content: \(what)"
        }
    }
}

enum SQLiteErrors {
    /// Turns the SQLite failures that mean "storage cannot be reached right now"
    /// into `AuctionError.unavailable`; other errors are bugs and stay as they are.
    static func map(_ error: DatabaseError) -> any Error {
        switch error.resultCode {
        case .SQLITE_IOERR, .SQLITE_CANTOPEN, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_FULL,
             .SQLITE_READONLY, .SQLITE_PROTOCOL:
            return AuctionError.unavailable("SQLite: \(error.message ?? "\(error.resultCode)")")
        default:
            return error
        }
    }
}
