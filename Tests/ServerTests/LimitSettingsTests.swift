import AuctionCore
@testable import AuctionServer
import Testing

@Suite("Limit, proxy and CORS settings")
struct LimitSettingsTests {
    @Test("the defaults are API.md's limits, no trusted proxy and no CORS origin")
    func defaults() async throws {
        let s = try await SettingsTests.load([:])
        #expect(s.limits.enabled)
        #expect(s.limits.loginFailures == RateLimit(count: 10, window: .seconds(900)))
        #expect(s.limits.logins == RateLimit(count: 30, window: .seconds(60)))
        #expect(s.limits.registrations == RateLimit(count: 10, window: .seconds(60)))
        #expect(s.limits.bids == RateLimit(count: 20, window: .seconds(1)))
        #expect(s.trustedProxies == .none && s.corsOrigins.isEmpty)
    }

    @Test("each is read from its variable")
    func fromEnvironment() async throws {
        let s = try await SettingsTests.load([
            "LIMITS_ENABLED": "false", "LIMITS_LOGIN_FAILURES_PER_USERNAME": "5", "LIMITS_LOGIN_FAILURE_WINDOW_SECONDS": "60",
            "LIMITS_LOGINS_PER_ADDRESS_PER_MINUTE": "100", "LIMITS_REGISTRATIONS_PER_ADDRESS_PER_MINUTE": "1000",
            "LIMITS_BIDS_PER_USER_PER_SECOND": "50",
            "HTTP_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1,::1", "HTTP_CORS_ORIGINS": "https://a.example,http://localhost:3000",
        ])
        #expect(!s.limits.enabled)
        #expect(s.limits.loginFailures == RateLimit(count: 5, window: .seconds(60)))
        #expect(s.limits.logins.count == 100 && s.limits.registrations.count == 1000 && s.limits.bids.count == 50)
        #expect(s.trustedProxies.networks.map(\.description) == ["10.0.0.0/8", "127.0.0.1/32", "::1/128"])
        #expect(s.corsOrigins == ["https://a.example", "http://localhost:3000"])
    }

    @Test func badValueNamesItsSetting() async {
        let table: [(variable: String, value: String, key: String)] = [
            ("HTTP_TRUSTED_PROXIES", "10.0.0.0/8,nginx", "http.trustedProxies"),
            ("HTTP_TRUSTED_PROXIES", "10.0.0.0/40", "http.trustedProxies"),
            ("HTTP_CORS_ORIGINS", "https://a.example/", "http.corsOrigins"),
            ("HTTP_CORS_ORIGINS", "a.example", "http.corsOrigins"),
            ("LIMITS_BIDS_PER_USER_PER_SECOND", "0", "limits.bidsPerUserPerSecond"),
            ("LIMITS_LOGIN_FAILURE_WINDOW_SECONDS", "soon", "limits.loginFailureWindowSeconds"),
            ("LIMITS_ENABLED", "maybe", "limits.enabled"),
        ]
        for row in table {
            let error = await SettingsTests.failure([row.variable: row.value])
            #expect(error?.key == row.key, "\(row.variable)=\(row.value): \(String(describing: error))")
            #expect(error?.description.contains(row.variable) == true)
        }
    }

    @Test("the tests' settings switch the limits off (the limits' own tests switch them on)")
    func testingIsUnlimited() throws {
        #expect(try AppSettings.testing(sqlitePath: "/tmp/t.sqlite").limits.enabled == false)
    }
}
