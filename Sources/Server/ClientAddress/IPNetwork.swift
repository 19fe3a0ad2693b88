/// An address range in CIDR notation (`10.0.0.0/8`, `fd00::/8`); a bare address
/// is the range of that one address.
struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    let address: IPAddress
    let prefixLength: Int

    init?(_ text: some StringProtocol) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(parts[0]) else { return nil }
        // The length counts the bits of the address as written: "::ffff:10.0.0.0/104"
        // is IPv4's 10.0.0.0/8, held as IPv4 like every mapped address.
        let writtenBits = parts[0].contains(":") ? 128 : 32
        var length = writtenBits
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].allSatisfy({ $0.isASCII && $0.isNumber }), let given = Int(parts[1]),
                  (0...writtenBits).contains(given) else { return nil }
            length = given
        }
        if address.isIPv4 && writtenBits == 128 {
            guard length >= 96 else { return nil }
            length -= 96
        }
        self.address = address
        self.prefixLength = length
    }

    func contains(_ other: IPAddress) -> Bool {
        guard other.bytes.count == address.bytes.count else { return false }
        var remaining = prefixLength
        for (mine, theirs) in zip(address.bytes, other.bytes) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard mine & mask == theirs & mask else { return false }
            remaining -= 8
        }
        return true
    }

    var description: String { "\(address)/\(prefixLength)" }
}
