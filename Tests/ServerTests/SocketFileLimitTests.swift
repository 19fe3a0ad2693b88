@testable import AuctionServer
import Foundation
import Testing

@Suite("Socket file limit")
struct SocketFileLimitTests {
    @Test func aLimitBelowOneAddressWorthOfSocketsIsWarnedOf() throws {
        // Linux's default soft limit against the default cap of 1,000 sockets per address.
        let warning = try #require(SocketFileLimit.warning(limit: 1024, socketsPerAddress: 1000))
        #expect(warning.contains("the open-file limit is 1024"))
        #expect(warning.contains("about 0 sockets"))
        #expect(SocketFileLimit.warning(limit: 2023, socketsPerAddress: 1000) != nil)
    }

    @Test func aLimitWithRoomForTheSocketsAndTheReserveIsNot() {
        #expect(SocketFileLimit.warning(limit: 2024, socketsPerAddress: 1000) == nil)
        #expect(SocketFileLimit.warning(limit: 1_048_576, socketsPerAddress: 100_000) == nil)
        #expect(SocketFileLimit.needed(sockets: 100_000) == 101_024)
    }

    @Test func theSoftLimitIsRaisedToTheHardOne() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        let raised = SocketFileLimit.raiseToHard()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #expect(limit.rlim_cur == limit.rlim_max)
        #expect(raised == Int(limit.rlim_cur))
    }
}
