import Hummingbird

/// Decodes a request body, whichever encoding the client used (form, JSON or
/// multipart), into an input struct: the context's `requestDecoder`, so that
/// `request.decode(as:context:)` reads every body the same way.
public struct RequestBodyDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        // A body announced over the limit is refused before a byte of it is read.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > context.maxUploadSize {
            throw HTTPError(.contentTooLarge)
        }
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let fields = try RequestFields(body: String(buffer: body), contentType: request.headers[.contentType])
        return try T(from: FieldsDecoder(fields: fields))
    }
}
