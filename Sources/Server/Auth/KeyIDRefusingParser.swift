import Foundation
import JWTKit

/// JWTKit's parser, refusing a token that names a key (`kid`): this server signs
/// with one key and names none, and JWTKit verifies a token naming a key it does
/// not hold with its default key, which would accept any `kid` at all.
struct KeyIDRefusingParser: JWTParser {
    var jsonDecoder: any JWTJSONDecoder = .defaultForJWT

    func parse<Payload: JWTPayload>(
        _ token: some DataProtocol, as payload: Payload.Type
    ) throws -> (header: JWTHeader, payload: Payload, signature: Data) {
        let parsed = try DefaultJWTParser(jsonDecoder: jsonDecoder).parse(token, as: payload)
        if let kid = parsed.header.kid {
            throw JWTError.generic(identifier: "kid", reason: "unknown key \(kid)")
        }
        return parsed
    }
}
