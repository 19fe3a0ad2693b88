import Hummingbird

/// `GET /openapi.json`: an OpenAPI 3 document of every HTTP route.
struct OpenAPIController: Sendable {
    func addRoutes(to router: Router<AppRequestContext>) {
        router.get("openapi.json") { _, _ in JSONResponse.raw(OpenAPIDocument.json) }
    }
}
