import Foundation

/// The proxies whose `X-Forwarded-For` is believed (`http.trustedProxies`), and
/// the client address they lead to.
struct TrustedProxies: Sendable, Equatable {
    let networks: [IPNetwork]

    static let none = TrustedProxies(networks: [])

    func trusts(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }

    /// The peer when it is no trusted proxy; otherwise the rightmost address of
    /// `X-Forwarded-For` (all its fields, in order) that is not a trusted proxy:
    /// each proxy appends the address it was connected from, so the entries left
    /// of that one were written by the client and prove nothing. An entry that is
    /// no address stops the walk at the hop that handed it on (the last trusted
    /// address seen), as does a list of trusted proxies only.
    func clientAddress(peer: IPAddress?, forwardedFor fields: [String]) -> IPAddress? {
        guard let peer, trusts(peer) else { return peer }
        var hop = peer
        let entries = fields.flatMap { $0.split(separator: ",") }
        for entry in entries.reversed() {
            let text = entry.trimmingCharacters(in: .whitespaces)
            guard let address = IPAddress(forwarded: text) else { return hop }
            guard trusts(address) else { return address }
            hop = address
        }
        return hop
    }
}

extension TrustedProxies {
    /// Reads the setting's entries (addresses or CIDR ranges); throws the first
    /// entry that is neither.
    init(entries: [String]) throws(InvalidEntry) {
        var networks: [IPNetwork] = []
        for entry in entries {
            guard let network = IPNetwork(entry) else { throw InvalidEntry(text: entry) }
            networks.append(network)
        }
        self.init(networks: networks)
    }

    struct InvalidEntry: Error {
        let text: String
    }
}
