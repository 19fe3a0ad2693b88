import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Testing

@Suite("Roles")
struct RoleTests {
    @Test func apiNodeServesNoSockets() async throws {
        var settings = try TestApp.settings()
        settings.role = .api
        try await TestApp.run(.live, settings: settings) { client in
            let owner = try await client.register("api-owner")
            let lot = try await client.createLot(owner)
            #expect(try await client.call(.get, "/lots/\(lot)").status == .ok)
            await #expect(throws: (any Error).self) { try await client.ws("/ws/lots/\(lot)") { _, _, _ in } }
            #expect(try await client.call(.get, "/ws/lots/\(lot)").status == .notFound)
        }
    }

    @Test func gatewayNodeServesOnlySocketsAndHealth() async throws {
        var settings = try TestApp.settings()
        // The gateway shares the API node's database file.
        let apiSettings = settings
        settings.role = .gateway
        let apiApp = try await buildApplication(settings: apiSettings)
        let created = Received()
        try await apiApp.test(.router) { api in
            let owner = try await api.register("gw-owner")
            created.append(String(try await api.createLot(owner)))
        }
        let lot = try #require(created.all.first.flatMap { Int64($0) })
        try await TestApp.run(.live, settings: settings) { client in
            #expect(try await client.call(.post, "/account", .form(["username": "x", "password": "y"])).status == .notFound)
            #expect(try await client.call(.get, "/lots").status == .notFound)
            #expect(try await client.call(.get, "/healthz").status == .ok)
            let received = Received()
            try await client.watch("/ws/lots/\(lot)?since=0", count: 0, into: received)
            #expect(received.all.isEmpty)
        }
    }
}
