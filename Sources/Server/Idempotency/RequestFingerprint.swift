import Crypto
import Hummingbird

/// What a key's request asked, to tell a retry from another request under the same
/// key: the hex SHA-256 of `METHOD SP path LF` followed by the body's bytes as sent
/// (so a form and the same fields in JSON are different requests).
enum RequestFingerprint {
    static func digest(method: HTTPRequest.Method, path: String, body: ByteBuffer) -> String {
        var hash = SHA256()
        hash.update(data: Array("\(method.rawValue) \(path)\n".utf8))
        body.withUnsafeReadableBytes { hash.update(bufferPointer: $0) }
        return hash.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
