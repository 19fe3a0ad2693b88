import Hummingbird
import Logging

/// Outermost: gives the request its id (in the logger's metadata, so every line
/// of the request carries it, and on the response, errors included), and writes
/// one `info` line per request with the route template (not the URI: ids would
/// explode its values, and a query may hold a token), the status answered and
/// the duration. Headers are never logged (Authorization holds the JWT).
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Hummingbird's key for the request id (`context.id` reads it): replaced, so
    /// a line carries one id, the one the client sees.
    static var metadataKey: String { "hb.request.id" }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let id = RequestID.of(request.head)
        var context = context
        context.logger[metadataKey: Self.metadataKey] = .string(id)
        do {
            var response = try await next(request, context)
            response.headers[RequestID.header] = id
            log(request, context, status: response.status.code, since: start)
            return response
        } catch {
            // ErrorMiddleware, inside, answers every error; this is for safety only.
            log(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, since: start)
            throw error
        }
    }

    private func log(_ request: Request, _ context: Context, status: Int, since start: ContinuousClock.Instant) {
        let elapsed = (ContinuousClock.now - start).components
        let microseconds = elapsed.seconds * 1_000_000 + elapsed.attoseconds / 1_000_000_000_000
        context.logger.info(
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? "NotFound"),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible(Double(microseconds) / 1000),
            ])
    }
}
