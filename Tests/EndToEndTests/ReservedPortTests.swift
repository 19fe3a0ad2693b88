import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The port nginx and the private redis-server get (`LocalSocket.Reserved`): while it
/// is held, a server that binds without SO_REUSEADDR cannot take it, connections are
/// refused until the child listens, and a child binding as nginx and redis-server do
/// listens on it, again after the first one closed (a restart).
@Suite struct ReservedPortTests {
    @Test func noOtherServerTakesAReservedPortButTheChildListensOnIt() throws {
        let reserved = try LocalSocket.Reserved()
        #expect(throws: LocalSocket.Failure.self) { close(try LocalSocket.boundSocket(port: reserved.port)) }
        #expect(!LocalSocket.accepts(port: reserved.port))
        for _ in 1...2 {
            let child = try LocalSocket.boundSocket(port: reserved.port, reuseAddress: true)
            defer { close(child) }
            #expect(listen(child, 8) == 0)
            #expect(LocalSocket.accepts(port: reserved.port))
        }
    }
}
