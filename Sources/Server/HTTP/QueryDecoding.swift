import Hummingbird

extension Request {
    /// The URL's query as an input struct, with the body's field rules and errors.
    func decodeQuery<T: Decodable>(as type: T.Type) throws -> T {
        try T(from: FieldsDecoder(fields: RequestFields.decodeForm(uri.query ?? "", part: "query")))
    }
}
