@testable import AuctionBench
import Testing

@Suite("Source addresses")
struct SourceAddressesTests {
    @Test func socketsFillOneAddressAfterAnotherFrom127002() {
        let addresses = SourceAddresses(perAddress: 3)
        #expect((0..<7).map(addresses.address(of:)) == [
            "127.0.0.2", "127.0.0.2", "127.0.0.2", "127.0.0.3", "127.0.0.3", "127.0.0.3", "127.0.0.4",
        ])
        #expect(addresses.addressesUsed(by: 0) == 0)
        #expect(addresses.addressesUsed(by: 3) == 1)
        #expect(addresses.addressesUsed(by: 7) == 3)
    }

    @Test func pastTheLastOfAThirdOctetTheNextOneStartsAtOne() {
        let addresses = SourceAddresses(perAddress: 1)
        #expect(addresses.address(of: 252) == "127.0.0.254")
        #expect(addresses.address(of: 253) == "127.0.1.1")
        #expect(addresses.address(of: 253 + 254) == "127.0.2.1")
    }

    @Test func aHundredThousandSocketsStayUnderEachAddresssEphemeralPorts() throws {
        let perAddress = try #require(SourceAddresses.perAddress(portRange: "32768\t60999\n"))
        // 28,232 ports, a fifth left for the rest.
        #expect(perAddress == 22_585)
        let addresses = SourceAddresses(perAddress: perAddress)
        #expect(addresses.addressesUsed(by: 100_000) == 5)
        var counts: [String: Int] = [:]
        for index in 0..<100_000 { counts[addresses.address(of: index), default: 0] += 1 }
        #expect(counts.count == 5)
        #expect(counts.values.allSatisfy { $0 <= perAddress })
        #expect(counts["127.0.0.1"] == nil)
    }

    @Test func anUnreadableRangeIsNoRange() {
        #expect(SourceAddresses.perAddress(portRange: "") == nil)
        #expect(SourceAddresses.perAddress(portRange: "60999 32768") == nil)
        #expect(SourceAddresses.perAddress(portRange: "1024 1024") == 1)
    }
}
