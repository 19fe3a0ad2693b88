@testable import AuctionServer
import Configuration
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("CORS")
struct CORSTests {
    static let listed = "https://app.example"

    static func settings(origins: String) throws -> AppSettings {
        try RateLimitRoutesTests.settings(["http.corsOrigins": .init(.string(origins), isSecret: false)])
    }

    static func preflight(_ client: any TestClientProtocol, origin: String) async throws -> Reply {
        try await client.call(
            .options, "/lots/1/bids",
            headers: [.origin: origin, .accessControlRequestMethod: "PATCH",
                      .accessControlRequestHeaders: "authorization, content-type"])
    }

    @Test("a listed origin's preflight names every method of the API and the headers a client sends")
    func preflightListed() async throws {
        try await TestApp.run(settings: try Self.settings(origins: "http://localhost:3000, \(Self.listed)")) { client in
            let reply = try await Self.preflight(client, origin: Self.listed)
            #expect(reply.status == .noContent)
            #expect(reply.headers[.accessControlAllowOrigin] == Self.listed)
            let methods = Set((reply.headers[.accessControlAllowMethods] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            })
            #expect(methods.isSuperset(of: ["GET", "POST", "PATCH", "DELETE"]))
            let headers = (reply.headers[.accessControlAllowHeaders] ?? "").lowercased()
            #expect(headers.contains("authorization") && headers.contains("content-type"))
        }
    }

    @Test("a listed origin's responses, errors too, carry its origin and expose X-Next-After")
    func responsesListed() async throws {
        try await TestApp.run(settings: try Self.settings(origins: Self.listed)) { client in
            for uri in ["/lots", "/lots/999"] {
                let reply = try await client.call(.get, uri, headers: [.origin: Self.listed])
                #expect(reply.headers[.accessControlAllowOrigin] == Self.listed, "\(uri)")
                #expect(reply.headers[.accessControlExposeHeaders]?.contains("X-Next-After") == true, "\(uri)")
                #expect(reply.headers[values: .vary].contains("Origin"), "\(uri)")
            }
            #expect(try await client.call(.get, "/lots/999", headers: [.origin: Self.listed]).detail == "Lot not found")
        }
    }

    @Test("another origin gets no CORS header, and its preflight is no CORS answer")
    func otherOrigin() async throws {
        try await TestApp.run(settings: try Self.settings(origins: Self.listed)) { client in
            let reply = try await client.call(.get, "/lots", headers: [.origin: "https://evil.example"])
            #expect(reply.status == .ok)
            #expect(reply.headers[.accessControlAllowOrigin] == nil)
            #expect(reply.headers[.accessControlExposeHeaders] == nil)
            let preflight = try await Self.preflight(client, origin: "https://evil.example")
            #expect(preflight.status != .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
        }
    }

    @Test("by default no origin gets CORS headers")
    func noneByDefault() async throws {
        try await TestApp.run { client in
            let reply = try await Self.preflight(client, origin: Self.listed)
            #expect(reply.headers[.accessControlAllowOrigin] == nil)
            #expect(try await client.call(.get, "/lots", headers: [.origin: Self.listed]).headers[.accessControlAllowOrigin] == nil)
        }
    }
}
