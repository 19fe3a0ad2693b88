import AuctionCore

/// The three parts the server talks to through protocols only.
public struct AuctionDependencies: Sendable {
    public let store: any AuctionStore
    public let broker: any EventBroker
    public let sessions: any SessionStore

    public init(store: any AuctionStore, broker: any EventBroker, sessions: any SessionStore) {
        self.store = store
        self.broker = broker
        self.sessions = sessions
    }
}
