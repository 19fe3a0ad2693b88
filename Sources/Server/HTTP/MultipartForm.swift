import Foundation

/// A small `multipart/form-data` reader for text fields (the API has no file uploads).
enum MultipartForm {
    /// The fields by name, or nil when the body is not well-formed.
    static func parse(_ body: String, contentType: String) -> [String: String]? {
        guard let boundary = boundary(in: contentType) else { return nil }
        let delimiter = "--" + boundary
        var fields: [String: String] = [:]
        let sections = body.components(separatedBy: delimiter)
        guard sections.count >= 2 else { return nil }
        // sections[0] is the preamble; the last one starts with "--" (the end).
        for section in sections.dropFirst() {
            if section.hasPrefix("--") { break }
            var part = Substring(section)
            // "\r\n" is one Character in Swift.
            if part.hasPrefix("\r\n") || part.hasPrefix("\n") { part = part.dropFirst() }
            guard let headerEnd = part.range(of: "\r\n\r\n") ?? part.range(of: "\n\n") else { return nil }
            let headers = part[..<headerEnd.lowerBound]
            var value = part[headerEnd.upperBound...]
            if value.hasSuffix("\r\n") || value.hasSuffix("\n") { value = value.dropLast() }
            guard let name = fieldName(in: headers) else { return nil }
            if fields[name] == nil { fields[name] = String(value) }
        }
        return fields
    }

    private static func boundary(in contentType: String) -> String? {
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1)
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty ? nil : value
            }
        }
        return nil
    }

    private static func fieldName(in headers: Substring) -> String? {
        // Lines end at CRLF or LF only: a field name may hold other line separators
        // (U+0085, VT), and an unknown field is ignored, not a malformed body.
        for line in headers.split(whereSeparator: { $0 == "\r\n" || $0 == "\n" }) where line.lowercased().hasPrefix("content-disposition:") {
            guard let range = line.range(of: "name=\"") else { return nil }
            let rest = line[range.upperBound...]
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            return String(rest[..<end])
        }
        return nil
    }
}
