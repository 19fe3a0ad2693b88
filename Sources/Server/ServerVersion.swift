/// The release, printed by `auction --version`: the one place it is written.
public enum ServerVersion {
    public static let current = "0.1.0"
}
