import AuctionCore
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Builds the server from its settings: resolves storage, broker, sessions and limiter
/// (or takes them ready-made, as tests may), the routes of the process's role,
/// and the background services. `onListening` is told the port bound (the one
/// chosen by the system when the settings ask for port 0).
public func buildApplication(
    settings: AppSettings,
    dependencies: AuctionDependencies? = nil,
    logger: Logger = Logger(label: "auction"),
    metrics: ServerMetrics = ServerMetrics(registry: MetricsBootstrap.registry),
    onListening: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let dependencies = try dependencies ?? BackendFactory.makeDependencies(settings: settings, logger: logger)
    let store = MeteredStore(base: dependencies.store, metrics: metrics)
    let servesSockets = settings.role != .api
    let servesAPI = settings.role != .gateway
    let keys = await SigningKeys.make(settings.jwt)
    let sessionCheck = SessionCheck(sessions: dependencies.sessions)
    let tokens = TokenVerifier(keys: keys, check: sessionCheck)
    let hub = servesSockets ? WebSocketHub(store: store, logger: logger, metrics: metrics, sessions: sessionCheck) : nil
    let knownLots = KnownLots()
    let publisher = EventPublisher(broker: dependencies.broker, hub: hub, logger: logger, knownLots: knownLots)
    let schemaReady = StartupGate()
    let limits = RateLimits(limiter: dependencies.limiter, settings: settings.limits, logger: logger)

    let router = Router(context: AppRequestContext.self)
    router.add(middleware: ClientAddressMiddleware(proxies: settings.trustedProxies))
    router.add(middleware: AccessLogMiddleware())
    router.add(middleware: HTTPMetricsMiddleware(metrics: metrics))
    if !settings.corsOrigins.isEmpty {
        router.add(middleware: CORSPolicy(origins: settings.corsOrigins))
    }
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: MethodNotAllowedMiddleware())
    HealthController(
        store: store, broker: dependencies.broker, sessions: dependencies.sessions,
        timeout: .milliseconds(settings.healthTimeoutMilliseconds))
        .addRoutes(to: router)
    MetricsController(metrics: metrics).addRoutes(to: router)
    OpenAPIController().addRoutes(to: router)
    if servesAPI {
        let protected = router.group().add(middleware: BearerAuthenticator(tokens: tokens))
        let signedInIfAny = router.group().add(middleware: BearerAuthenticator(tokens: tokens, optional: true))
        let issuer = TokenIssuer(keys: keys, check: sessionCheck, lifetimeMinutes: settings.jwt.lifetimeMinutes)
        AccountController(
            store: store, tokens: issuer, hasher: PasswordHasher(cost: settings.bcryptCost), limits: limits)
            .addRoutes(to: router, protected: protected)
        LotController(store: store, publisher: publisher)
            .addRoutes(to: router, protected: protected, signedInIfAny: signedInIfAny)
        BidController(
            store: store, publisher: publisher, limits: limits,
            gate: BidGate(store: store, known: knownLots, metrics: metrics)
        ).addRoutes(to: router, protected: protected)
        UserEventsController(store: store).addRoutes(to: protected)
        PagesController(store: store).addRoutes(to: router)
    }
    if servesSockets {
        WebSocketController(store: store, tokens: tokens).addRoutes(to: router)
    }
    let sockets = hub.map {
        LotSocketHandler.Environment(
            store: store, hub: $0, bufferLimit: settings.socketBufferLimit,
            perAddress: SocketsPerAddress(cap: settings.socketsPerAddress, proxies: settings.trustedProxies), logger: logger, tokens: tokens)
    }
    if servesSockets { SocketFileLimit.check(socketsPerAddress: settings.socketsPerAddress, logger: logger) }
    let headerTimeout = Duration.milliseconds(settings.headerTimeoutMilliseconds)

    var app = Application(
        router: router,
        server: HTTPServerBuilder { responder in
            if let sockets {
                return HandedOffChannel(
                    base: HTTPConnectionChannel(
                        responder: responder, sockets: sockets, maxFrameSize: 1 << 16, headerTimeout: headerTimeout))
            }
            return HandedOffChannel(
                base: HTTP1Channel(
                    responder: responder,
                    configuration: .init(
                        additionalChannelHandlers: HTTPConnectionChannel.guards(), idleTimeout: TimeAmount(headerTimeout))))
        },
        configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "auction"),
        onServerRunning: { channel in await onListening(channel.localAddress?.port ?? settings.port) },
        logger: logger
    )
    app.addServices(
        DependencyService(body: { try await store.run() }),
        DependencyService(body: { try await dependencies.broker.run() }),
        DependencyService(body: { try await dependencies.sessions.run() }),
        DependencyService(body: { try await dependencies.limiter.run() })
    )
    app.addServices(publisher.outbox, BrokerReconnectWatch(broker: dependencies.broker, metrics: metrics))
    if let hub {
        app.addServices(
            HubFeedService(
                broker: dependencies.broker, hub: hub,
                resyncInterval: .milliseconds(settings.resyncIntervalMilliseconds),
                pingInterval: .milliseconds(settings.pingIntervalMilliseconds)))
    }
    if servesAPI {
        app.addServices(
            LotCloserService(
                store: store, publisher: publisher, interval: .milliseconds(settings.closerIntervalMilliseconds),
                logger: logger, gate: schemaReady),
            IdempotencyPurgeService(
                store: store, interval: .milliseconds(settings.idempotencyPurgeIntervalMilliseconds),
                logger: logger, gate: schemaReady))
    }
    if let telegram = settings.telegram {
        // Every node runs it; the store's lease picks the one that sends.
        guard let cursors = dependencies.store as? any NotifierStore else { throw TelegramNotifier.StoreUnsupported() }
        app.addServices(
            TelegramNotifier(store: store, cursors: cursors, settings: telegram, logger: logger, gate: schemaReady))
    }
    let autoMigrate = settings.autoMigrate
    app.beforeServerStarts {
        try await SchemaCheck.prepare(store: store, autoMigrate: autoMigrate, logger: logger)
        await schemaReady.open()
    }
    return app
}
