import Hummingbird

/// A documented path asked with a method it does not have is 405 with `Allow`,
/// not the router's 404 (which stays for paths that do not exist). The paths and
/// methods are those of the OpenAPI document.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    private let routes: [(segments: [Substring], methods: Set<String>)]

    init(operations: [OpenAPIOperation] = OpenAPIDocument.operations) {
        var routes: [(segments: [Substring], methods: Set<String>)] = []
        for operation in operations {
            if let index = routes.firstIndex(where: { $0.segments == operation.segments }) {
                routes[index].methods.insert(operation.method.uppercased())
            } else {
                routes.append((operation.segments, [operation.method.uppercased()]))
            }
        }
        self.routes = routes
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && context.endpointPath == "NotFound" {
            let segments = request.uri.path.split(separator: "/")
            let allowed = routes.filter { Self.matches($0.segments, segments) }.reduce(into: Set<String>()) { $0.formUnion($1.methods) }
            // No such path, or a documented method this process does not serve (its role).
            guard !allowed.isEmpty, !allowed.contains(request.method.rawValue) else { throw error }
            throw APIError(
                status: .methodNotAllowed, detail: "Method \(request.method.rawValue) not allowed here",
                headers: [.allow: allowed.sorted().joined(separator: ", ")])
        }
    }

    private static func matches(_ template: [Substring], _ segments: [Substring]) -> Bool {
        template.count == segments.count
            && zip(template, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
}
