import Hummingbird

/// Decodes a request body, whichever encoding the client used (form, JSON or
/// multipart), into an input struct: the context's `requestDecoder`, so that
/// `request.decode(as:context:)` reads every body the same way.
public struct RequestBodyDecoder: RequestDecoder {
    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        let body = try await request.body.collect(upTo: context.maxUploadSize)
        let fields = try RequestFields(body: String(buffer: body), contentType: request.headers[.contentType])
        return try T(from: FieldsDecoder(fields: fields))
    }
}

extension Request {
    /// The URL's query as an input struct, with the body's field rules and errors.
    func decodeQuery<T: Decodable>(as type: T.Type) throws -> T {
        try T(from: FieldsDecoder(fields: RequestFields.decodeForm(uri.query ?? "", part: "query")))
    }
}

extension RequestContext {
    /// The `lot_id` of the path. Ids are positive integers; anything else is an unknown lot.
    func lotID() throws -> Int64 {
        guard let text = parameters.get("lot_id"), let id = Int64(text), id > 0 else {
            throw APIError.lotNotFound
        }
        return id
    }
}
