// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "auction",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "auction", targets: ["AuctionCommand"]),
        .executable(name: "auction-client", targets: ["AuctionClient"]),
        .executable(name: "auction-bench", targets: ["AuctionBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.7.1"),
        // Already built for jwt-kit; the server hashes idempotent requests with it.
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        // multipart/form-data bodies (the original clients may send them).
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        // The server's WebSocket pipeline (NIOWebSocket, NIO's HTTP types) and the
        // benchmark's HTTP client; both already come with Hummingbird.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        // Already brought by Hummingbird and swift-configuration; named because the
        // server imports them (HTTP field names, FilePath for the config file).
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
        // The command-line client's HTTP subcommands (already built for HummingbirdTesting).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        // The benchmark only: latency histograms.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // Domain, rules, the event wire format and the three protocols. Foundation only.
        .target(name: "AuctionCore", path: "Sources/Core"),
        // Generic helpers of the clients, brokers and stores (backoff, broadcast,
        // Duration conversions). The standard library and the system's only.
        .target(name: "AuctionSupport", path: "Sources/Support"),

        // Storage backends.
        .target(
            name: "SQLiteBackend",
            dependencies: ["AuctionCore", .product(name: "GRDB", package: "GRDB.swift")],
            path: "Sources/Backends/SQLite"
        ),
        .target(
            name: "PostgresBackend",
            dependencies: [
                "AuctionCore", "AuctionSupport",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Backends/Postgres"
        ),

        // Clients: the hiredis and rabbitmq-c wrappers, each C handle confined to
        // the thread of the one object that owns it.
        .systemLibrary(
            name: "CHiredis",
            path: "Sources/Clients/CHiredis",
            pkgConfig: "hiredis",
            providers: [.apt(["libhiredis-dev"])]
        ),
        .target(
            name: "RedisClient",
            dependencies: ["CHiredis", "AuctionSupport", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Clients/Redis"
        ),
        .systemLibrary(
            name: "CRabbitMQ",
            path: "Sources/Clients/CRabbitMQ",
            pkgConfig: "librabbitmq",
            providers: [.apt(["librabbitmq-dev"])]
        ),
        .target(
            name: "AMQPClient",
            dependencies: ["CRabbitMQ", "AuctionSupport", .product(name: "Logging", package: "swift-log")],
            path: "Sources/Clients/AMQP"
        ),

        // Event brokers.
        .target(name: "InMemoryBroker", dependencies: ["AuctionCore", "AuctionSupport"], path: "Sources/Brokers/InMemory"),
        .target(
            name: "RedisBroker",
            dependencies: [
                "AuctionCore", "AuctionSupport", "RedisClient", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Brokers/Redis"
        ),
        .target(
            name: "AMQPBroker",
            dependencies: [
                "AuctionCore", "AuctionSupport", "AMQPClient", .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/Brokers/AMQP"
        ),

        // Session stores: in memory and on Redis.
        .target(
            name: "Sessions",
            dependencies: ["AuctionCore", "RedisClient"],
            path: "Sources/Sessions"
        ),

        // Rate limiters: in memory and on Redis.
        .target(
            name: "Limits",
            dependencies: ["AuctionCore", "RedisClient"],
            path: "Sources/Limits"
        ),

        // The Hummingbird application; the only module that knows every implementation.
        .target(
            name: "AuctionServer",
            dependencies: [
                "AuctionCore", "AuctionSupport", "SQLiteBackend", "PostgresBackend", "InMemoryBroker", "RedisBroker",
                "AMQPBroker", "Sessions", "Limits",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                // The Telegram notifier's Bot API calls (already built for the command-line client).
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            path: "Sources/Server"
        ),

        // Executables.
        .executableTarget(
            name: "AuctionCommand",
            dependencies: [
                "AuctionServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/auction"
        ),
        .executableTarget(
            name: "AuctionClient",
            dependencies: [
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/auction-client"
        ),
        .executableTarget(
            name: "AuctionBench",
            dependencies: [
                // AuctionServer for the settings' kinds, so the bench names what the server reads.
                "AuctionCore", "AuctionServer", "SQLiteBackend", "PostgresBackend",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Sources/auction-bench"
        ),

        // Tests.
        .target(
            name: "TestSupport",
            dependencies: [
                "AuctionCore", "PostgresBackend", "RedisClient",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "AuctionCoreTests", dependencies: ["AuctionCore"]),
        .testTarget(name: "SupportTests", dependencies: ["AuctionSupport"]),
        // The bench's own logic (source-address spreading, the scale targets); the runs do not run in CI.
        .testTarget(name: "BenchTests", dependencies: ["AuctionBench"]),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "AuctionCore", "SQLiteBackend", "PostgresBackend", "TestSupport",
                // Postgres tests create and drop their own schemas and read tables directly.
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "BrokerTests",
            dependencies: [
                "AuctionCore", "InMemoryBroker", "RedisBroker", "RedisClient", "AMQPBroker", "AMQPClient",
                "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "SessionTests", dependencies: ["AuctionCore", "Sessions", "RedisClient", "TestSupport"]),
        .testTarget(name: "LimitsTests", dependencies: ["AuctionCore", "Limits", "RedisClient", "TestSupport"]),
        .testTarget(
            name: "ServerTests",
            dependencies: [
                "AuctionCore", "AuctionServer", "TestSupport", "InMemoryBroker", "PostgresBackend", "Sessions", "Limits",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                // SettingsTests compares the README with the defaults' provider values.
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HummingbirdWSTesting", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "JWTKit", package: "jwt-kit"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                // The proxy race replays its bids through the pure rules (Core/Rules).
                "AuctionCore", "TestSupport",
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)

// scripts/fuzz only (AUCTION_FUZZ=1): the libFuzzer target of the hand-written
// parsers, with the modules that hold them instrumented. A normal build never sees it.
if Context.environment["AUCTION_FUZZ"] != nil {
    let instrumented: [SwiftSetting] = [.unsafeFlags(["-sanitize=fuzzer"])]
    for target in package.targets where ["AuctionCore", "AuctionServer"].contains(target.name) {
        target.swiftSettings = (target.swiftSettings ?? []) + instrumented
    }
    package.products.append(.executable(name: "auction-fuzz", targets: ["AuctionFuzz"]))
    package.targets += [
        .target(name: "CFuzzDriver", path: "Fuzz/Driver"),
        .executableTarget(
            name: "AuctionFuzz",
            dependencies: ["AuctionCore", "AuctionServer", "CFuzzDriver"],
            path: "Fuzz/Targets",
            swiftSettings: instrumented,
            // libFuzzer's driver, which main.swift runs; lld, as gold fails on this link.
            linkerSettings: [.unsafeFlags(["-sanitize=fuzzer", "-use-ld=lld"])]
        ),
    ]
}
