/// How access tokens are signed and how long they live.
public struct JWTSettings: Sendable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case HS256, HS384, HS512
        /// HMAC keys shorter than the hash output weaken it; JWTKit refuses them.
        public var minimumKeyBytes: Int {
            switch self {
            case .HS256: 32
            case .HS384: 48
            case .HS512: 64
            }
        }
    }

    public var secret: String
    public var algorithm: Algorithm
    public var lifetimeMinutes: Int

    /// The development secret: the default, usable in dev only, refused in prod.
    public static let devSecret = "dev-only-secret-change-me-0123456789abcdef-0123456789abcdef-0123456789"

    init(reading config: SettingsReader, profile: AppSettings.Profile) throws(SettingsError) {
        algorithm = try config.choice("jwt.algorithm")
        secret = try config.secret("jwt.secret")
        if profile == .prod && secret == Self.devSecret {
            throw config.error("jwt.secret", "is required in prod, and not the development value")
        }
        guard secret.utf8.count >= algorithm.minimumKeyBytes else {
            throw config.error(
                "jwt.secret", "must be at least \(algorithm.minimumKeyBytes) bytes long for \(algorithm.rawValue)")
        }
        lifetimeMinutes = try config.int("jwt.expirationMinutes", in: 1...525_600)
    }
}
