import AuctionCore
import Hummingbird
import HummingbirdCore
import Logging

/// Builds the server from its settings: resolves storage, broker and sessions
/// (or takes them ready-made, as tests may), the routes of the process's role,
/// and the background services.
public func buildApplication(
    settings: AppSettings,
    dependencies: AuctionDependencies? = nil,
    logger: Logger = Logger(label: "auction")
) async throws -> some ApplicationProtocol {
    let dependencies = try dependencies ?? BackendFactory.makeDependencies(settings: settings, logger: logger)
    let store = dependencies.store
    let servesSockets = settings.role != .api
    let servesAPI = settings.role != .gateway
    let hub = servesSockets ? WebSocketHub(store: store, logger: logger) : nil
    let publisher = EventPublisher(broker: dependencies.broker, hub: hub, logger: logger)
    let tokens = await TokenService(settings: settings, sessions: dependencies.sessions)
    let schemaReady = StartupGate()

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MetricsMiddleware())
    HealthController(store: store, broker: dependencies.broker, sessions: dependencies.sessions)
        .addRoutes(to: router)
    MetricsController().addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    if servesAPI {
        AccountController(store: store, tokens: tokens, hasher: PasswordHasher(cost: settings.bcryptCost))
            .addRoutes(to: router)
        LotController(store: store, tokens: tokens, publisher: publisher).addRoutes(to: router)
        BidController(store: store, tokens: tokens, publisher: publisher).addRoutes(to: router)
    }
    if servesSockets {
        WebSocketController(store: store).addRoutes(to: router)
    }
    let sockets = hub.map {
        LotSocketHandler.Environment(store: store, hub: $0, bufferLimit: settings.socketBufferLimit, logger: logger)
    }

    var app = Application(
        router: router,
        server: sockets.map { sockets in
            HTTPServerBuilder { responder in
                HTTPConnectionChannel(responder: responder, sockets: sockets, maxFrameSize: 1 << 16)
            }
        } ?? .http1(),
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "auction"),
        logger: logger
    )
    app.addServices(
        DependencyService(body: { try await store.run() }),
        DependencyService(body: { try await dependencies.broker.run() }),
        DependencyService(body: { try await dependencies.sessions.run() })
    )
    app.addServices(publisher.outbox)
    if let hub {
        app.addServices(
            HubFeedService(
                broker: dependencies.broker, hub: hub,
                resyncInterval: .milliseconds(settings.resyncIntervalMilliseconds)))
    }
    if servesAPI {
        app.addServices(
            LotCloserService(
                store: store, publisher: publisher, interval: .milliseconds(settings.closerIntervalMilliseconds),
                logger: logger, gate: schemaReady))
    }
    let autoMigrate = settings.autoMigrate
    app.beforeServerStarts {
        try await SchemaCheck.prepare(store: store, autoMigrate: autoMigrate, logger: logger)
        await schemaReady.open()
    }
    return app
}

/// Brings the schema up to date (auto-migrate) or refuses to serve on an old one.
enum SchemaCheck {
    struct OutOfDate: Error, CustomStringConvertible {
        var description: String {
            "the database schema is out of date: run `auction migrate` (or set storage.autoMigrate / STORAGE_AUTO_MIGRATE=true)"
        }
    }

    static func prepare(store: any AuctionStore, autoMigrate: Bool, logger: Logger) async throws {
        if autoMigrate {
            try await store.migrate()
        } else if try await !store.isSchemaCurrent() {
            throw OutOfDate()
        }
        logger.info("schema is current")
    }
}
