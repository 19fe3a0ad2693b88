import ArgumentParser
import Foundation

/// Where the server is, for every subcommand: `--url` is a host (the original
/// client's meaning: `--url localhost`) or a URL of any of the four schemes. The
/// port is `--port`, else the URL's, else 443 for https:// and wss://, else 8000.
struct ServerOptions: ParsableArguments {
    @Option(help: "Server host (localhost) or URL (http://, https://, ws:// or wss://).")
    var url = "localhost"
    @Option(help: "Server port (default: the URL's, 443 for https:// and wss://, else 8000).")
    var port: Int?

    func validate() throws {
        guard let parsed = URLComponents(string: given), ["http", "https", "ws", "wss"].contains(parsed.scheme ?? ""),
              parsed.host?.isEmpty == false
        else { throw ValidationError("--url must be a host (localhost) or an http://, https://, ws:// or wss:// URL") }
        if let port, !(1...65535).contains(port) { throw ValidationError("--port must be from 1 to 65535") }
    }

    /// The URL given, a bare host being a plain one.
    private var given: String { url.contains("://") ? url : "http://" + url }

    /// Whether the server is reached over TLS (https:// or wss://).
    var isSecure: Bool { ["https", "wss"].contains(URLComponents(string: given)?.scheme ?? "") }

    /// Scheme, host and port, in the secure or plain scheme of the caller's protocol.
    func components(secureScheme: String, plainScheme: String) -> URLComponents {
        var components = URLComponents(string: given)!
        components.scheme = isSecure ? secureScheme : plainScheme
        components.port = port ?? components.port ?? (isSecure ? 443 : 8000)
        components.path = ""
        components.query = nil
        return components
    }

    /// The HTTP base URL, `http://localhost:8000`: also the key of the saved token.
    var httpBase: String { components(secureScheme: "https", plainScheme: "http").string! }
}
