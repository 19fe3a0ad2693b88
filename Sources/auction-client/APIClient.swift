import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// The HTTP API as the subcommands use it: form bodies (as the original clients
/// send them), the bearer token, and a refusal turned into the server's `detail`.
struct APIClient {
    let base: String
    var token: String?

    /// A status other than 2xx: the server's `detail`, or the status alone.
    struct Refused: Error, CustomStringConvertible {
        let status: Int
        let detail: String
        var description: String { "\(detail) (HTTP \(status))" }
    }

    /// Sends the request and returns the body of a 2xx answer.
    func send(_ method: HTTPMethod, _ path: String, form: [(String, String)] = []) async throws -> Data {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if !form.isEmpty {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            request.body = .bytes(ByteBuffer(string: Self.encode(form)))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let body = Data(try await response.body.collect(upTo: 16 << 20).readableBytesView)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            struct Detail: Decodable { let detail: String }
            let detail = (try? JSONDecoder().decode(Detail.self, from: body))?.detail ?? response.status.reasonPhrase
            throw Refused(status: status, detail: detail)
        }
        return body
    }

    /// `application/x-www-form-urlencoded`: everything but unreserved characters escaped.
    static func encode(_ form: [(String, String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return form.map { name, value in
            "\(name.addingPercentEncoding(withAllowedCharacters: unreserved)!)=\(value.addingPercentEncoding(withAllowedCharacters: unreserved)!)"
        }.joined(separator: "&")
    }
}
