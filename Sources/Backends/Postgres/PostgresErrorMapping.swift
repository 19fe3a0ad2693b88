import AuctionCore
import AuctionSupport
import PostgresNIO

/// Turns what PostgresNIO throws into what the `AuctionStore` contract promises:
/// refusals stay as they are, anything that says "the server cannot be reached or
/// cannot serve right now" becomes `AuctionError.unavailable`, and a server error
/// that means a bug in our SQL is kept so that it is seen as one.
enum PostgresErrorMapping {
    /// SQLSTATE classes and codes that a retry may cure: connection exceptions,
    /// insufficient resources, operator intervention (shutdown, cancel, timeout),
    /// serialization failures and deadlocks.
    private static let transientClasses: Set<Substring> = ["08", "53", "57", "58"]
    private static let transientCodes: Set<String> = ["40001", "40P01", "55P03"]

    static func map(_ error: any Error, timeout: Duration) -> any Error {
        switch error {
        case is AuctionError, is IdempotencyClaimLost, is CancellationError, is PostgresDecodingError:
            return error
        case let exceeded as DeadlineExceeded:
            return AuctionError.unavailable("PostgreSQL did not answer within \(exceeded.timeout.milliseconds) ms")
        case let error as PSQLError:
            return map(error)
        default:
            // Pool errors (circuit breaker, shutdown) and NIO channel errors: the
            // server could not be reached.
            return AuctionError.unavailable("PostgreSQL cannot be reached (\(type(of: error)))")
        }
    }

    private static func map(_ error: PSQLError) -> any Error {
        guard error.code == .server else {
            return AuctionError.unavailable("PostgreSQL cannot be reached (\(error.code))")
        }
        let state = sqlState(of: error) ?? ""
        if transientCodes.contains(state) || transientClasses.contains(state.prefix(2)) {
            return AuctionError.unavailable("PostgreSQL cannot serve the request now (SQLSTATE \(state))")
        }
        return error
    }

    static func sqlState(of error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    static func isUniqueViolation(_ error: any Error) -> Bool {
        sqlState(of: error) == "23505"
    }
}
