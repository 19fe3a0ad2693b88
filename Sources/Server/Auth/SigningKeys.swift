import JWTKit

/// The HMAC key of the settings, shared by the token issuer and verifier.
enum SigningKeys {
    static func make(_ settings: JWTSettings) async -> JWTKeyCollection {
        let keys = JWTKeyCollection()
        let digest: DigestAlgorithm =
            switch settings.algorithm {
            case .HS256: .sha256
            case .HS384: .sha384
            case .HS512: .sha512
            }
        await keys.add(hmac: HMACKey(from: settings.secret), digestAlgorithm: digest, parser: KeyIDRefusingParser())
        return keys
    }
}
