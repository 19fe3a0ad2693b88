/// Whether a lot takes bids. A finished lot never runs again.
public enum LotStatus: String, Sendable, Codable, CaseIterable {
    case running
    case finished
}

/// Which lots a listing returns.
public enum LotFilter: String, Sendable, CaseIterable {
    case running
    case finished
    case all
}
