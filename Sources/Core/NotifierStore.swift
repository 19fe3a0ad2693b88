import Foundation

/// Where a notifier that follows the lot event log (Telegram) keeps its state:
/// a lease, so that one node of a cluster sends, and per lot the last event it sent.
/// A notifier is named (`"telegram"`); each has its own lease and cursors.
///
/// Per-lot cursors rather than one global position: a lot's `seq` is gapless and
/// in commit order, while no global order of the log is (two transactions commit
/// in another order than they took their numbers).
public protocol NotifierStore: Sendable {
    /// Takes the notifier's lease for `holder` until `expiry` when it is free or
    /// expired at `now`, or renews it when `holder` has it: true when `holder`
    /// holds it after the call. The very first time a notifier's lease is taken,
    /// its cursors start at every lot's last event, so that turning it on sends
    /// what happens from then on (not the whole history).
    func acquireNotifierLease(_ notifier: String, holder: String, now: Date, expiry: Date) async throws -> Bool
    /// Lets `holder`'s lease go (a graceful stop), so that another node takes it at
    /// once; the cursors stay (a lease given back is not a first start).
    func releaseNotifierLease(_ notifier: String, holder: String) async throws
    /// Lots with events after the notifier's cursor, lowest id first, at most `limit`.
    func notifierBacklog(_ notifier: String, limit: Int) async throws -> [NotifierCursor]
    /// Moves the lot's cursor forward to `seq`, only while `holder` holds the lease
    /// at `now`: false (and nothing changed) when it does not.
    func advanceNotifierCursor(
        _ notifier: String, lotID: Int64, to seq: Int64, holder: String, now: Date
    ) async throws -> Bool
}

/// A lot and the last of its events a notifier has sent (0: none).
public struct NotifierCursor: Sendable, Equatable {
    public let lotID: Int64
    public let seq: Int64

    public init(lotID: Int64, seq: Int64) {
        self.lotID = lotID
        self.seq = seq
    }
}
