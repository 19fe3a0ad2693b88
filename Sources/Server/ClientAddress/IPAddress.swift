#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 address as its bytes; an IPv4-mapped IPv6 address
/// (`::ffff:1.2.3.4`, how a dual-stack socket reports IPv4 peers) is its IPv4.
struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// 4 bytes, or 16.
    let bytes: [UInt8]

    /// Reads `1.2.3.4` or `2001:db8::1`; nil for anything else.
    init?(_ text: some StringProtocol) {
        guard let bytes = Self.parse(String(text)) else { return nil }
        self.init(bytes: bytes)
    }

    /// Reads an entry of `X-Forwarded-For`: an address, or one of the forms with
    /// a port that some proxies write (`1.2.3.4:80`, `[2001:db8::1]:443`, `[::1]`).
    init?(forwarded text: some StringProtocol) {
        var text = Substring(text)
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let rest = text[text.index(after: close)...]
            guard rest.isEmpty || (rest.hasPrefix(":") && rest.dropFirst().allSatisfy(\.isNumber)) else { return nil }
            text = text[text.index(after: text.startIndex)..<close]
        } else if let colon = text.firstIndex(of: ":"), text.lastIndex(of: ":") == colon {
            // One colon: IPv4 with a port (IPv6 has two at least).
            guard text[text.index(after: colon)...].allSatisfy(\.isNumber) else { return nil }
            text = text[..<colon]
        }
        self.init(text)
    }

    init(bytes: [UInt8]) {
        precondition(bytes.count == 4 || bytes.count == 16, "an IP address has 4 or 16 bytes")
        if bytes.count == 16, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            self.bytes = Array(bytes[12...])
        } else {
            self.bytes = bytes
        }
    }

    var isIPv4: Bool { bytes.count == 4 }

    var description: String {
        let family = isIPv4 ? AF_INET : AF_INET6
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        return bytes.withUnsafeBytes { raw in
            guard inet_ntop(family, raw.baseAddress, &text, socklen_t(text.count)) != nil else { return "?" }
            return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// What a per-address limit counts: an IPv4 address, or the /64 network of an
    /// IPv6 one (a single host is commonly given a whole /64, so counting its
    /// addresses one by one would let it through 2^64 times over).
    var limitKey: String {
        isIPv4 ? description : IPAddress(bytes: Array(bytes[0..<8]) + Array(repeating: 0, count: 8)).description + "/64"
    }

    private static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }
}
