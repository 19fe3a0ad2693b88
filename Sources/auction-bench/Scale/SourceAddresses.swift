import Foundation

/// Loopback source addresses for more client sockets than one address has
/// ephemeral ports: socket `i` binds to 127.0.0.2, 127.0.0.3, ... in turn of
/// `perAddress` sockets each (bind before connect), skipping 127.0.0.1 (the
/// servers' own connections use it) and every .0 and .255.
struct SourceAddresses: Sendable, Equatable {
    let perAddress: Int

    /// The ports one address may bind, from `ip_local_port_range` ("32768\t60999"),
    /// less a fifth for everything else that connects meanwhile.
    static func perAddress(portRange text: String) -> Int? {
        let bounds = text.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        guard bounds.count == 2, bounds[1] >= bounds[0] else { return nil }
        return max(1, (bounds[1] - bounds[0] + 1) * 4 / 5)
    }

    /// This machine's: from /proc, or 20,000 when it cannot be read.
    static func system() -> SourceAddresses {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return SourceAddresses(perAddress: perAddress(portRange: text) ?? 20_000)
    }

    /// The address socket `index` binds to.
    func address(of index: Int) -> String {
        // Address k (from 1, 127.0.0.1 being 0) in 127.0.hi.lo with lo in 1...254.
        let k = index / perAddress + 1
        let hi = k / 254
        let lo = k % 254 + 1
        return "127.\(hi / 256).\(hi % 256).\(lo)"
    }

    /// How many addresses `sockets` sockets use.
    func addressesUsed(by sockets: Int) -> Int {
        sockets <= 0 ? 0 : (sockets - 1) / perAddress + 1
    }
}
