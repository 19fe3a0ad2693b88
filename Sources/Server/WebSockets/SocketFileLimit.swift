import Foundation
import Logging

/// Every socket is a file descriptor, and Linux's default soft limit (1,024)
/// would stop a gateway near a thousand sockets. At start the server raises its
/// soft limit to the hard one (as Go's runtime does) and warns when what it got
/// is below the rule: one descriptor per socket plus `reserve` for the rest
/// (listener, store, broker, HTTP clients), and at least enough for one client
/// address to reach `hub.socketsPerAddress`.
enum SocketFileLimit {
    static let reserve = 1024

    /// The descriptors a node needs for `sockets` sockets.
    static func needed(sockets: Int) -> Int { sockets + reserve }

    /// The warning for a limit of `limit` descriptors, or nil when it is enough.
    static func warning(limit: Int, socketsPerAddress: Int) -> String? {
        guard limit < needed(sockets: socketsPerAddress) else { return nil }
        return "the open-file limit is \(limit): this node can hold about \(max(0, limit - reserve)) sockets, "
            + "fewer than hub.socketsPerAddress (\(socketsPerAddress)); raise it (ulimit -n, LimitNOFILE) "
            + "to the sockets wanted + \(reserve)"
    }

    /// Raises the soft limit to the hard one; returns the soft limit in force.
    @discardableResult
    static func raiseToHard() -> Int {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return 0 }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resource, &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)  // unlimited (all ones) reads as Int.max
    }

    /// Raises the limit and logs a warning when it is still short of the rule.
    static func check(socketsPerAddress: Int, logger: Logger) {
        let limit = raiseToHard()
        if let warning = warning(limit: limit, socketsPerAddress: socketsPerAddress) {
            logger.warning("\(warning)")
        } else {
            logger.debug("open-file limit", metadata: ["limit": "\(limit)", "sockets": "\(limit - reserve)"])
        }
    }

    private static let resource = Int32(RLIMIT_NOFILE.rawValue)
}
