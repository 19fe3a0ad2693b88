import Foundation

#if canImport(Glibc)
import Glibc
#endif

extension LocalSocket {
    /// Sends `request` on a fresh connection to 127.0.0.1:`port` and returns all
    /// that comes back until the server hangs up (or 5 s pass). Runs on a thread
    /// of its own: a blocking read must not hold a cooperative thread that the
    /// in-process server may need.
    public static func exchange(port: Int, request: String) async throws -> String {
        try await offThePool { try blockingExchange(port: port, request: request) }
    }

    private static func blockingExchange(port: Int, request: String) throws -> String {
        let descriptor = try connectedSocket(port: port, receiveTimeout: 5)
        defer { close(descriptor) }
        let bytes = Array(request.utf8)
        guard send(descriptor, bytes, bytes.count, 0) == bytes.count else { throw Failure() }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { break }
            response += buffer[0..<count]
        }
        return String(decoding: response, as: UTF8.self)
    }
}
