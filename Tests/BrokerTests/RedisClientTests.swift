import Foundation
import RedisClient
import Testing
import TestSupport

@Suite("Redis client on a real server")
struct RedisClientTests {
    private func pool(_ url: URL? = nil, size: Int = 4) throws -> RedisConnectionPool {
        try RedisConnectionPool(
            configuration: RedisConfiguration(url: url ?? ServiceEnvironment.redisURL()), size: size,
            logger: quietLogger("test.redis"))
    }

    @Test("commands and their replies: status, string, integer, null, array, error")
    func replies() async throws {
        let pool = try pool()
        let key = "test:client:\(UUID().uuidString)"
        let value = "zoë \"quoted\" \\ 😀\n\u{0}end"
        #expect(try await pool.command("SET", key, value, "PX", "60000") == .status("OK"))
        #expect(try await pool.command("GET", key) == .string(value))
        #expect(try await pool.command("SET", key + ":empty", "", "PX", "60000") == .status("OK"))
        #expect(try await pool.command("GET", key + ":empty") == .string(""))
        #expect(try await pool.command("EXISTS", key, key + ":empty", key + ":none") == .integer(2))
        #expect(try await pool.command("GET", key + ":none") == .null)
        #expect(try await pool.command("MGET", key, key + ":none") == .array([.string(value), .null]))
        guard case .error(let message) = try await pool.command("INCR", key) else {
            Issue.record("INCR of a non-number should be an error reply")
            return
        }
        #expect(message.contains("not an integer"))
        #expect(try await pool.command("DEL", key, key + ":empty") == .integer(2))
    }

    @Test("200 concurrent commands through a pool of 4")
    func concurrentCommands() async throws {
        let pool = try pool()
        let key = "test:client:counter:\(UUID().uuidString)"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<200 {
                group.addTask { _ = try await pool.command("INCR", key) }
            }
            try await group.waitForAll()
        }
        #expect(try await pool.command("GET", key) == .string("200"))
        _ = try await pool.command("DEL", key)
    }

    @Test("the database in the URL is selected")
    func selectsDatabase() async throws {
        let base = try ServiceEnvironment.redisURL()
        let db5 = try pool(URL(string: base.absoluteString + "/5")!, size: 1)
        let db0 = try pool(URL(string: base.absoluteString + "/0")!, size: 1)
        let key = "test:client:db:\(UUID().uuidString)"
        _ = try await db5.command("SET", key, "five", "PX", "60000")
        #expect(try await db5.command("GET", key) == .string("five"))
        #expect(try await db0.command("GET", key) == .null)
        _ = try await db5.command("DEL", key)
    }

    @Test("the password in the URL is sent with AUTH")
    func authenticates() async throws {
        let server = try await RedisTestServer(extraArguments: ["--requirepass", "s3cret"])
        let good = try pool(URL(string: "redis://:s3cret@127.0.0.1:\(server.port)")!, size: 1)
        #expect(try await good.command("PING") == .status("PONG"))

        let anonymous = try pool(server.url, size: 1)
        guard case .error(let message) = try await anonymous.command("PING") else {
            Issue.record("a command without AUTH should be refused")
            return
        }
        #expect(message.hasPrefix("NOAUTH"))

        let wrong = try pool(URL(string: "redis://:nope@127.0.0.1:\(server.port)")!, size: 1)
        await #expect {
            _ = try await wrong.command("PING")
        } throws: { error in
            guard case RedisError.connectionFailed(let reason) = error else { return false }
            return reason.contains("AUTH")
        }
    }

    @Test("nothing listening: commands fail at once")
    func connectionRefused() async throws {
        let nobody = try LocalSocket.Reserved()  // bound, never listening: connections are refused
        defer { withExtendedLifetime(nobody) {} }
        let port = nobody.port
        // A 300 s connect timeout: "at once" must mean the refusal, not the timeout,
        // with 60 s of slack for a loaded CI machine (14 s was seen at a load of 29).
        let pool = RedisConnectionPool(configuration: RedisConfiguration(port: port, connectTimeout: .seconds(300)), size: 1)
        let elapsed = await measure {
            await #expect(throws: RedisError.self) { _ = try await pool.command("PING") }
        }
        #expect(elapsed < .seconds(60))
    }

    @Test("a server that never answers: a command fails after the command timeout")
    func commandTimeout() async throws {
        let silent = try LocalSocket.Silent()
        var configuration = try RedisConfiguration(url: silent.url)
        configuration.connectTimeout = .milliseconds(500)
        configuration.commandTimeout = .milliseconds(500)
        let pool = RedisConnectionPool(configuration: configuration, size: 1)
        let elapsed = await measure {
            await #expect(throws: RedisError.timedOut) { _ = try await pool.command("PING") }
        }
        #expect(elapsed >= .milliseconds(400))
        // 60x the 1 s deadline (connect + command), for a loaded CI machine; hung would be forever.
        #expect(elapsed < .seconds(60))
    }

    @Test("a backlog of commands to a hung server all fail within a bounded time")
    func queueDeadline() async throws {
        let silent = try LocalSocket.Silent()
        var configuration = try RedisConfiguration(url: silent.url)
        configuration.connectTimeout = .milliseconds(300)
        configuration.commandTimeout = .milliseconds(300)
        let pool = RedisConnectionPool(configuration: configuration, size: 1)
        // Without the queueing deadline, 1,000 commands in a row would take 1,000 × 300 ms.
        let elapsed = await measure {
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<1000 {
                    group.addTask {
                        await #expect(throws: RedisError.timedOut) { _ = try await pool.command("PING") }
                    }
                }
            }
        }
        // Each fails by its 600 ms deadline; 100x that for a loaded machine (200 took 18 s
        // at a load of 29), far from the 300 s unbounded.
        #expect(elapsed < .seconds(60))
    }

    @Test("after a server restart, the pool's idle connections are replaced without an error")
    func survivesRestart() async throws {
        let server = try await RedisTestServer()
        let pool = RedisConnectionPool(configuration: server.configuration, size: 1)
        #expect(try await pool.command("PING") == .status("PONG"))
        server.kill()
        try await server.start()
        #expect(try await pool.command("PING") == .status("PONG"))
    }

    @Test("a shut-down pool refuses commands")
    func shutdown() async throws {
        let pool = try pool(size: 1)
        #expect(try await pool.command("PING") == .status("PONG"))
        pool.shutdown()
        await #expect(throws: RedisError.shutDown) { _ = try await pool.command("PING") }
    }
}
