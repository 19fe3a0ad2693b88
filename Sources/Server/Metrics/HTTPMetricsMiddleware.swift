import Hummingbird

/// Counts and times every request by route and the status actually answered.
/// Outermost, so it sees the response ErrorMiddleware made of a thrown error
/// (Hummingbird's MetricsMiddleware, inside it, counted every 4xx as a "500").
struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next(request, context)
        metrics.httpRequest(
            method: request.method.rawValue, route: context.endpointPath ?? "NotFound",
            status: response.status.code, duration: ContinuousClock.now - start)
        return response
    }
}
