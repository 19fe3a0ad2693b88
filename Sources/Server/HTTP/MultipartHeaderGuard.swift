/// MultipartKit 4.7.1 traps (an array index out of range, in
/// `isAllowedHeaderFieldNameCharacter`) on a byte over 0x7F where it reads a part's
/// header name: found by scripts/fuzz, one such request ended the server process.
/// Such a body is refused before MultipartKit reads it.
///
/// The scan walks the body with MultipartKit's own states (`MultipartParser`: preamble,
/// headers, body, boundary), so it finds the header names where the parser will:
/// a first guess by lines missed a value ended by a bare LF, which the parser reads
/// on to the CR (found by scripts/fuzz again). Where the parser would throw, the
/// scan stops: that body is refused anyway.
enum MultipartHeaderGuard {
    static func headerNamesAreASCII(_ body: String, boundary: String) -> Bool {
        var scan = Scan(bytes: Array(body.utf8), delimiter: Array("\r\n--\(boundary)".utf8))
        return scan.run()
    }

    private struct Scan {
        let bytes: [UInt8]
        let delimiter: [UInt8]
        var at = 0

        private static let carriageReturn = UInt8(ascii: "\r")
        private static let lineFeed = UInt8(ascii: "\n")
        private static let colon = UInt8(ascii: ":")
        private static let hyphen = UInt8(ascii: "-")

        private mutating func next() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        /// False when a header name has a byte over 0x7F; true at the end or where
        /// MultipartKit would stop with a syntax error.
        mutating func run() -> Bool {
            guard skipPreamble() else { return true }
            // After the first delimiter: its CRLF, then headers; after each later one,
            // its CR was read by `afterDelimiter`.
            guard next() == Self.carriageReturn else { return true }
            while true {
                guard next() == Self.lineFeed else { return true }
                switch headers() {
                case .nonASCIIName: return false
                case .end: return true
                case .body: break
                }
                // The body runs to a CR that begins the whole delimiter.
                guard let following = bodyThenDelimiter() else { return true }
                guard following == Self.carriageReturn else { return true }  // `-`: the epilogue
            }
        }

        /// The preamble up to the end of the first delimiter, matched as MultipartKit
        /// does (the leading CRLF may be missing). False at the end of the body.
        private mutating func skipPreamble() -> Bool {
            var matched = 0
            while matched < delimiter.count {
                guard let byte = next() else { return false }
                if matched == 0, byte == delimiter[2] {
                    matched = 3
                } else if byte == delimiter[matched] {
                    matched += 1
                } else if matched > 0, byte == delimiter[0] {
                    matched = 1
                } else {
                    matched = 0
                }
            }
            return true
        }

        private enum HeadersEnd { case body, nonASCIIName, end }

        /// Header lines after the delimiter's CRLF, to the blank line and its LF.
        private mutating func headers() -> HeadersEnd {
            while true {
                // A name: to its colon, or a CR first on the line (the blank line).
                var nameLength = 0
                while true {
                    guard let byte = next() else { return .end }
                    if byte == Self.colon, nameLength > 0 { break }
                    if byte == Self.carriageReturn, nameLength == 0 {
                        return next() == Self.lineFeed ? .body : .end
                    }
                    if byte > 0x7F { return .nonASCIIName }
                    nameLength += 1
                }
                // A value: to a CR (not a LF), which must be followed by a LF.
                while let byte = next(), byte != Self.carriageReturn {}
                guard next() == Self.lineFeed else { return .end }
            }
        }

        /// Past a part's body and the delimiter that ends it; the byte after the
        /// delimiter (CR: another part, `-`: the end), nil at the end of the body.
        private mutating func bodyThenDelimiter() -> UInt8? {
            var matched = 0
            while true {
                guard let byte = next() else { return nil }
                if matched == delimiter.count { return byte }
                if byte == delimiter[matched] {
                    matched += 1
                } else {
                    matched = byte == delimiter[0] ? 1 : 0
                }
            }
        }
    }
}
