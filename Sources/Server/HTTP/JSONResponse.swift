import Foundation
import Hummingbird

/// JSON bodies (already written as text) with an explicit status.
enum JSONResponse {
    /// A body that is already JSON text (events are stored as their JSON).
    static func raw(_ json: String, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: json)))
    }
}
