import Foundation

/// Memory and CPU of a process, read from /proc (Linux).
struct ProcessSample: Sendable {
    /// Resident set size now (VmRSS) and at its peak (VmHWM), in KiB.
    let rssKiB: Int
    let peakRSSKiB: Int
    /// User + system CPU time since the process started.
    let cpuSeconds: Double

    static func read(pid: Int32) -> ProcessSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        func kib(_ field: String) -> Int {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field + ":") }) else { return 0 }
            return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") ?? 0
        }
        // The command name may hold spaces: the fields are counted after its closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, utime field 14, stime field 15 (1-based in proc(5)).
        guard fields.count > 12, let utime = Double(fields[11]), let stime = Double(fields[12]) else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(rssKiB: kib("VmRSS"), peakRSSKiB: kib("VmHWM"), cpuSeconds: (utime + stime) / ticks)
    }
}

enum FileLimit {
    /// Raises this process's open-file limit to at least `wanted` (soft and, if
    /// needed and allowed, hard). Child processes inherit it, so the server started
    /// afterwards gets it too. Returns the soft limit now in force.
    @discardableResult
    static func raise(to wanted: Int) -> Int {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let target = rlim_t(wanted)
        if limit.rlim_cur >= target { return Int(limit.rlim_cur) }
        var raised = limit
        raised.rlim_cur = target
        if raised.rlim_max < target { raised.rlim_max = target }
        if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) != 0 {
            // Not allowed above the hard limit: take what it permits.
            raised = limit
            raised.rlim_cur = limit.rlim_max
            _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised)
        }
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        return Int(limit.rlim_cur)
    }
}

enum FreePort {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// A loopback port that was free a moment ago (bind to 0, read it, close).
    static func next() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else { throw Failure(description: "bind() failed") }
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
