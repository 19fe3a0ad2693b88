import Hummingbird

extension RequestContext {
    /// The `lot_id` of the path. Ids are positive integers; anything else is an unknown lot.
    func lotID() throws -> Int64 {
        guard let text = parameters.get("lot_id"), let id = Int64(text), id > 0 else {
            throw APIError.lotNotFound
        }
        return id
    }
}
