import AuctionCore
import Foundation
import Hummingbird
import Logging

/// Turns every error into `{"detail": "..."}`: the API's own errors with their
/// status, the framework's (no route, body too large) likewise, and anything else
/// into a logged 500, which is always a bug.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return Self.response(error)
        } catch let error as AuctionError {
            if case .unavailable(let what) = error {
                context.logger.warning("dependency unavailable", metadata: ["what": "\(what)"])
            }
            return Self.response(APIError(error))
        } catch let error as HTTPError {
            let detail = error.body ?? Self.sentence(for: error.status)
            return Self.response(APIError(status: error.status, detail: detail, headers: error.headers))
        } catch let error as any HTTPResponseError {
            // The framework's other errors, such as a body over the limit (413).
            return Self.response(APIError(status: error.status, detail: Self.sentence(for: error.status)))
        } catch is CancellationError {
            return Self.response(APIError(status: .serviceUnavailable, detail: "The server is shutting down"))
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.response(APIError(status: .internalServerError, detail: "Internal server error"))
        }
    }

    static func sentence(for status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: "Not found"
        case .contentTooLarge: "Request body is larger than 64 KiB"
        case .methodNotAllowed: "Method not allowed"
        default: status.reasonPhrase
        }
    }

    static func response(_ error: APIError) -> Response {
        var headers = error.headers
        headers[.contentType] = "application/json"
        return Response(status: error.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: error.body)))
    }
}
