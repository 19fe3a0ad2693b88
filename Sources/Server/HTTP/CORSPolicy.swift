import Foundation
import HTTPTypes
import Hummingbird

/// CORS for the origins of `http.corsOrigins` only: Hummingbird's
/// `CORSMiddleware` answers their preflights and marks their responses; any
/// other origin is served as if it had sent no `Origin` (no CORS headers, so a
/// browser keeps the response from its page). Outside `ErrorMiddleware`, so that
/// error responses carry the headers too.
struct CORSPolicy: RouterMiddleware {
    typealias Context = AppRequestContext

    /// The headers a page may read besides the safelisted ones. Hummingbird's
    /// middleware sends this list on preflights only, where browsers ignore it,
    /// so it is added to every response here.
    static let exposedHeaders = ["X-Next-After", "Retry-After", "X-Request-Id", "Idempotent-Replayed"]

    private let origins: Set<String>
    private let cors: CORSMiddleware<Context>

    init(origins: [String]) {
        self.origins = Set(origins)
        self.cors = CORSMiddleware(
            allowOrigin: .originBased,
            allowHeaders: [.accept, .authorization, .contentType, .origin, HTTPField.Name("Idempotency-Key")!,
                           HTTPField.Name("X-Request-Id")!],
            allowMethods: [.get, .head, .post, .patch, .delete, .options],
            exposedHeaders: Self.exposedHeaders,
            maxAge: .minutes(10))
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            var response = try await next(request, context)
            // The answer differs by origin: a shared cache must not hand this one to a listed origin.
            response.headers[values: .vary].append("Origin")
            return response
        }
        var response = try await cors.handle(request, context: context, next: next)
        if request.method != .options {
            response.headers[.accessControlExposeHeaders] = Self.exposedHeaders.joined(separator: ", ")
        }
        return response
    }

    /// `https://example.com` or `http://127.0.0.1:3000`: how a browser writes an `Origin`.
    static func isOrigin(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
              url.host?.isEmpty == false, url.path.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else { return false }
        return true
    }
}
