import Hummingbird

/// The headers every page and page asset carries: a CSP that allows only this
/// server's own scripts, styles and connections ('self' also covers ws: and wss:
/// of the same host in CSP 3, which the live page's socket needs), and nosniff so
/// a browser never reads an asset as another type.
enum PageResponse {
    static let contentSecurityPolicy =
        "default-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        make(text, type: "text/html; charset=utf-8", status: status)
    }

    static func script(_ text: String) -> Response {
        make(text, type: "text/javascript; charset=utf-8")
    }

    static func style(_ text: String) -> Response {
        make(text, type: "text/css; charset=utf-8")
    }

    private static func make(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        let headers: HTTPFields = [
            .contentType: type,
            .contentSecurityPolicy: contentSecurityPolicy,
            .xContentTypeOptions: "nosniff",
            .cacheControl: "no-cache",
        ]
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
