import AuctionCore
@testable import AuctionServer
import Foundation
import Synchronization

/// Writes lot activity through the store, as the API would, and answers the
/// Telegram messages it should produce, in each lot's seq order.
final class LogWriter: Sendable {
    let store: any AuctionStore
    let owner: User
    let bidders: [User]
    private struct State {
        var lots: [Lot] = []
        var price: [Int64: Int64] = [:]
        var hasBid: Set<[Int64]> = []
        var turn = 0
    }
    private let state = Mutex(State())

    init(store: any AuctionStore) async throws {
        self.store = store
        let tag = UUID().uuidString.prefix(6)
        owner = try await store.createUser(username: "owner-\(tag)", passwordHash: "x")
        bidders = [
            try await store.createUser(username: "alice-\(tag)", passwordHash: "x"),
            try await store.createUser(username: "bob-\(tag)", passwordHash: "x"),
        ]
    }

    var lots: [Lot] { state.withLock { $0.lots } }

    /// `(lot 12)`: the part of a message that names its lot.
    static func lotTag(_ message: String) -> String {
        guard let open = message.range(of: "(lot "), let close = message[open.upperBound...].firstIndex(of: ")") else {
            return message
        }
        return String(message[open.lowerBound...close])
    }

    func lot(title: String) async throws -> Lot {
        let lot = try await store.createLot(
            NewLot(title: title, description: "d", startingPrice: Money(cents: 10_00), ownerID: owner.id), now: Date())
        state.withLock {
            $0.lots.append(lot)
            $0.price[lot.id] = 10_00
        }
        return lot
    }

    /// `lots` new lots ("Lot 1", ...) with `bidsPerLot` bids each; their messages.
    func activity(lots count: Int, bidsPerLot: Int, startingAt first: Int = 1) async throws -> [String] {
        var messages: [String] = []
        for number in first..<(first + count) {
            let lot = try await lot(title: "Lot \(number)")
            messages += try await moreBids(on: lot, count: bidsPerLot)
        }
        return messages
    }

    /// `count` bids on `lot`, each a whole unit above the last, the bidders taking turns.
    func moreBids(on lot: Lot, count: Int) async throws -> [String] {
        var records: [EventRecord] = []
        for _ in 0..<count {
            let (bidder, cents, mode) = state.withLock { state -> (User, Int64, BidMode) in
                state.turn += 1
                let bidder = bidders[state.turn % bidders.count]
                let cents = state.price[lot.id, default: 10_00] + 1_00
                state.price[lot.id] = cents
                let mode: BidMode = state.hasBid.insert([lot.id, bidder.id]).inserted ? .create : .raise
                return (bidder, cents, mode)
            }
            records += try await store.placeBid(
                lotID: lot.id, bidderID: bidder.id, amount: Money(cents: cents), mode: mode, now: Date()
            ).events
        }
        return records.map { TelegramMessage.text(for: $0, title: lot.title) }
    }

    /// The owner finishes `lot`; its messages.
    func finish(_ lot: Lot) async throws -> [String] {
        try await store.setStatus(lotID: lot.id, status: .finished, by: owner.id, now: Date())
            .lotEvents.map { TelegramMessage.text(for: $0, title: lot.title) }
    }
}

extension [EventRecord] {
    /// The lot's events among those a change returned (not the users' own).
    var lotEvents: [EventRecord] {
        filter { if case .lot = $0.stream { true } else { false } }
    }
}
