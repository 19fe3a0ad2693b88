/// How hard SQLite works to make a commit durable (`PRAGMA synchronous`).
///
/// `.full` syncs the write-ahead log on every commit, so an acknowledged bid
/// survives a power loss; `.normal` is faster but may lose the last commits.
public enum SQLiteSynchronous: String, Sendable, CaseIterable {
    case full = "FULL"
    case normal = "NORMAL"

    /// The value `PRAGMA synchronous` reports for this setting.
    var pragmaValue: Int {
        switch self {
        case .full: 2
        case .normal: 1
        }
    }
}
