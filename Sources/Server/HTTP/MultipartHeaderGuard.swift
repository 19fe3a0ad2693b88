/// MultipartKit 4.7.1 traps (an array index out of range, in
/// `isAllowedHeaderFieldNameCharacter`) on a byte over 0x7F in a part's header
/// name: found by scripts/fuzz, one such request ended the server process. Such a
/// body is refused before MultipartKit reads it. The scan covers every place
/// MultipartKit reads a header name, and some more: the start of each line after
/// a delimiter (`--boundary`) up to the blank line, to its first colon.
enum MultipartHeaderGuard {
    static func headerNamesAreASCII(_ body: String, boundary: String) -> Bool {
        let bytes = Array(body.utf8)
        let delimiter = Array("--\(boundary)".utf8)
        var at = 0
        while let start = firstIndex(of: delimiter, in: bytes, from: at) {
            // The rest of the delimiter's line, then one header a line until an empty one.
            at = lineEnd(bytes, from: start + delimiter.count)
            while at < bytes.count, bytes[at] != carriageReturn {
                while at < bytes.count, bytes[at] != colon, bytes[at] != carriageReturn {
                    if bytes[at] > 0x7F { return false }
                    at += 1
                }
                at = lineEnd(bytes, from: at)
            }
        }
        return true
    }

    private static let carriageReturn = UInt8(ascii: "\r")
    private static let colon = UInt8(ascii: ":")

    /// The index after the next line feed (or the end).
    private static func lineEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var at = start
        while at < bytes.count, bytes[at] != UInt8(ascii: "\n") { at += 1 }
        return at + 1
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
        for index in start...(bytes.count - needle.count) where bytes[index] == needle[0] {
            if bytes[index..<(index + needle.count)].elementsEqual(needle) { return index }
        }
        return nil
    }
}
