import Synchronization

/// A cache of the facts a bid needs before its statement is sent and that never
/// change once written: a user's name (there is no rename) and a lot's
/// anti-sniping window (set at creation). With them at hand, a bid is one round
/// trip; without them, one extra read that holds no lock.
final class ImmutableFacts: Sendable {
    /// Past this many entries a map is emptied and refilled on demand, which is
    /// simpler than an LRU and costs one extra read per evicted entry.
    private let capacity: Int
    private let usernames = Mutex<[Int64: String]>([:])
    /// Present when the lot exists; the value is its window, nil when it has none.
    private let softCloseWindows = Mutex<[Int64: Int?]>([:])

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    func username(of userID: Int64) -> String? {
        usernames.withLock { $0[userID] }
    }

    func remember(username: String, of userID: Int64) {
        usernames.withLock { map in
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            map[userID] = username
        }
    }

    /// `.some(window)` when the lot is known (`window` nil when it has no soft close).
    func softCloseWindow(of lotID: Int64) -> Int?? {
        softCloseWindows.withLock { $0[lotID] }
    }

    func remember(softCloseWindow: Int?, of lotID: Int64) {
        softCloseWindows.withLock { map in
            if map.count >= capacity { map.removeAll(keepingCapacity: true) }
            map[lotID] = .some(softCloseWindow)
        }
    }
}
