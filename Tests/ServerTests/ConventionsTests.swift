import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Testing

@Suite("Conventions")
struct ConventionsTests {
    @Test func bodiesOver64KiBAre413() async throws {
        try await TestApp.run { client in
            let owner = try await client.register("ned")
            let big = String(repeating: "x", count: 70_000)
            let reply = try await client.call(
                .post, "/lots", .form(["title": "T", "description": big, "starting_price": "1"]), token: owner.token)
            #expect(reply.status == .contentTooLarge)
            #expect(!reply.detail.isEmpty)
            #expect(try await client.call(.get, "/lots?status=all").array.isEmpty)
        }
    }

    @Test func unknownRoutesAnswerWithDetail() async throws {
        try await TestApp.run { client in
            let reply = try await client.call(.get, "/no/such/route")
            #expect(reply.status == .notFound)
            #expect(reply.detail == "Not found")
        }
    }

    @Test func healthAndReadiness() async throws {
        try await TestApp.run { client in
            #expect(try await client.call(.get, "/healthz").status == .ok)
            let ready = try await client.call(.get, "/readyz")
            #expect(ready.status == .ok)
            #expect(ready.object.string("status") == "ready")
        }
    }

    @Test func metricsAreServed() async throws {
        try await TestApp.run { client in
            MetricsBootstrap.registry.makeCounter(
                descriptor: MetricNameDescriptor(metricName: "auction_test_probe", unitName: "total", helpText: "probe")
            ).increment()
            let reply = try await client.call(.get, "/metrics")
            #expect(reply.status == .ok)
            #expect(reply.text.contains("auction_test_probe_total 1"))
            #expect(reply.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }
}

@Suite("OpenAPI")
struct OpenAPITests {
    @Test func documentIsValidJSONAndListsEveryRoute() async throws {
        try await TestApp.run { client in
            let reply = try await client.call(.get, "/openapi.json")
            #expect(reply.status == .ok)
            let document = reply.object
            #expect((document["openapi"] as? String)?.hasPrefix("3.") == true)
            let paths = try #require(document["paths"] as? [String: Any])
            for path in ["/account", "/account/token", "/account/me/", "/lots", "/lots/{lot_id}", "/lots/{lot_id}/bids",
                         "/lots/{lot_id}/status", "/lots/{lot_id}/events", "/healthz", "/readyz", "/metrics", "/account/logout"] {
                #expect(paths[path] != nil, "\(path)")
            }
        }
    }
}
