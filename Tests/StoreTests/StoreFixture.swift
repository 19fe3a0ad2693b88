import AuctionCore
import Foundation

/// A fresh store with an owner account, and helpers to fill it.
struct StoreFixture: Sendable {
    let store: any AuctionStore
    let owner: User
    /// The tests' clock: every store call gets an explicit time from here.
    let now: Date

    init(_ backend: StoreBackend) async throws {
        store = try await backend.makeStore()
        owner = try await store.createUser(username: "owner", passwordHash: "hash-owner")
        now = Timestamp.truncated(Date())
    }

    func user(_ name: String) async throws -> User {
        try await store.createUser(username: name, passwordHash: "hash-\(name)")
    }

    func lot(
        title: String = "Lamp", startingPrice: Money = .init(cents: 10_00), endsIn seconds: TimeInterval? = nil,
        minIncrement: Money = .cent, softCloseSeconds: Int? = nil
    ) async throws -> Lot {
        try await store.createLot(
            NewLot(
                title: title, description: "A \(title.lowercased())", startingPrice: startingPrice,
                ownerID: owner.id, endsAt: seconds.map { now.addingTimeInterval($0) },
                minIncrement: minIncrement, softCloseSeconds: softCloseSeconds
            ),
            now: now
        )
    }

    @discardableResult
    func bid(
        _ lot: Lot, by user: User, cents: Int64, mode: BidMode = .create, after seconds: TimeInterval = 1
    ) async throws -> BidOutcome {
        try await store.placeBid(
            lotID: lot.id, bidderID: user.id, amount: Money(cents: cents), mode: mode,
            now: now.addingTimeInterval(seconds)
        )
    }

    /// Everything the store holds about a lot, to show that a refusal changed nothing.
    func snapshot(of lotID: Int64) async throws -> LotSnapshot {
        LotSnapshot(
            lot: try await store.lot(id: lotID),
            bids: try await store.bids(lotID: lotID),
            events: try await store.events(lotID: lotID, since: 0, limit: 1000)
        )
    }
}

struct LotSnapshot: Equatable {
    let lot: Lot?
    let bids: [Bid]
    let events: [EventRecord]
}

/// The fields of an event's JSON that the tests inspect.
struct DecodedEvent: Decodable, Equatable {
    let type: String
    let lot_id: Int64
    let seq: Int64
    let bidder: String?
    let amount: Money?
    /// true on the server's automatic raise of a proxy bid, absent otherwise.
    let auto: Bool?
    let winner: String?

    init(_ record: EventRecord) throws {
        self = try JSONDecoder().decode(DecodedEvent.self, from: Data(record.json.utf8))
    }
}

extension AuctionStore {
    /// Every bid of a lot, in one page as large as any test makes.
    func bids(lotID: Int64) async throws -> [Bid] {
        try await bids(lotID: lotID, limit: 10_000, after: nil)
    }
}

extension [EventRecord] {
    /// The lots' events among those a change returned (leaving out the users' own it caused).
    var lotEvents: [EventRecord] {
        filter { if case .lot = $0.stream { true } else { false } }
    }
}
