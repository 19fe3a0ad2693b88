import Hummingbird

/// `GET /metrics`: the process's metrics in Prometheus text format.
struct MetricsController: Sendable {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("metrics") { _, _ in
            var buffer: [UInt8] = []
            MetricsBootstrap.registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
    }
}
