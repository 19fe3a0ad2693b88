import AuctionCore
import Logging
public enum BackendFactory {
    public static func makeDependencies(settings: AppSettings, logger: Logger) throws -> AuctionDependencies { fatalError() }
}
