import RedisClient
import Testing

@Suite("Redis URL")
struct RedisConfigurationTests {
    @Test("defaults: port 6379, database 0, no password")
    func defaults() throws {
        let configuration = try RedisConfiguration(url: "redis://cache.internal")
        #expect(configuration.host == "cache.internal")
        #expect(configuration.port == 6379)
        #expect(configuration.database == 0)
        #expect(configuration.password == nil)
        #expect(configuration.username == nil)
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.commandTimeout == .seconds(2))
        #expect(try RedisConfiguration(url: "redis://127.0.0.1:7000/").port == 7000)
    }

    @Test("password, port and database")
    func passwordPortDatabase() throws {
        let configuration = try RedisConfiguration(url: "redis://:s3cret@10.0.0.5:6380/3")
        #expect(configuration.host == "10.0.0.5")
        #expect(configuration.port == 6380)
        #expect(configuration.password == "s3cret")
        #expect(configuration.username == nil)
        #expect(configuration.database == 3)
    }

    @Test("an ACL user, and percent-encoded characters in the password")
    func userAndEncodedPassword() throws {
        let configuration = try RedisConfiguration(url: "redis://app:p%40ss%3Aw%2Frd@localhost/15")
        #expect(configuration.username == "app")
        #expect(configuration.password == "p@ss:w/rd")
        #expect(configuration.database == 15)
    }

    @Test("scheme in capitals, IPv6 host")
    func schemeCaseAndIPv6() throws {
        #expect(try RedisConfiguration(url: "REDIS://localhost").host == "localhost")
        let configuration = try RedisConfiguration(url: "redis://[::1]:6390")
        #expect(configuration.host == "::1")
        #expect(configuration.port == 6390)
    }

    @Test(
        "bad URLs are refused",
        arguments: [
            "http://localhost:6379", "rediss://localhost", "redis://", "redis:///0", "redis://localhost/abc",
            "redis://localhost/-1", "redis://localhost/1/2", "redis://localhost/+1", "redis://localhost:0",
            "redis://user@localhost", "not a url", "",
        ])
    func badURLs(_ text: String) {
        #expect(throws: RedisError.self) { try RedisConfiguration(url: text) }
    }
}
