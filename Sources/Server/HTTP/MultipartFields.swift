import Foundation
import NIOHTTP1
import MultipartKit
import NIOCore

/// The text fields of a `multipart/form-data` body (the API has no file uploads),
/// parsed by MultipartKit. The first part of a name wins, as for forms.
enum MultipartFields {
    /// The fields by name, or nil when the body is not well-formed.
    static func parse(_ body: String, contentType: String) -> [String: String]? {
        guard let boundary = boundary(in: contentType),
            MultipartHeaderGuard.headerNamesAreASCII(body, boundary: boundary)
        else { return nil }
        let parser = MultipartParser(boundary: boundary)
        var parts: [MultipartPart] = []
        var headers = HTTPHeaders()
        var partBody = ByteBuffer()
        parser.onHeader = { name, value in headers.replaceOrAdd(name: name, value: value) }
        parser.onBody = { chunk in partBody.writeBuffer(&chunk) }
        parser.onPartComplete = {
            parts.append(MultipartPart(headers: headers, body: partBody))
            headers = HTTPHeaders()
            partBody = ByteBuffer()
        }
        do {
            try parser.execute(body)
        } catch {
            return nil
        }
        var fields: [String: String] = [:]
        for part in parts {
            guard let name = part.name else { return nil }
            if fields[name] == nil { fields[name] = String(buffer: part.body) }
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
}
