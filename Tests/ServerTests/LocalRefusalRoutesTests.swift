import AuctionCore
@testable import AuctionServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Bids this node refuses without the store (`BidGate`): the same answer, byte
/// for byte, as the store gave in the same situation, and no store call.
@Suite("Bids refused without the store")
struct LocalRefusalRoutesTests {
    static let tooLow = "Bid must be higher than the current highest price: at least "

    /// Calls of the store's `placeBid`, and refusals as too low / on a finished lot.
    struct Counts: Equatable {
        let storeBids: Double
        let tooLow: Double
        let finished: Double

        init(_ metrics: ServerMetrics) {
            let samples = MetricsTests.samples(metrics, "auction_")
            storeBids = samples[#"auction_store_call_duration_seconds_count{operation="place_bid"}"#] ?? 0
            tooLow = samples[#"auction_bids_refused_total{reason="too_low"}"#] ?? 0
            finished = samples[#"auction_bids_refused_total{reason="lot_finished"}"#] ?? 0
        }
    }

    @Test(arguments: TestStorage.allCases)
    func aRaiseBelowTheKnownMinimumGetsTheStoresAnswer(storage: TestStorage) async throws {
        let metrics = ServerMetrics()
        try await TestApp.run(storage: storage, metrics: metrics) { client in
            let owner = try await client.register("ann")
            let ben = try await client.register("ben")
            let cat = try await client.register("cat")
            let lot = try await client.createLot(owner, price: "10")
            #expect(try await client.bid(ben, lot: lot, "11").status == .created)
            #expect(try await client.bid(cat, lot: lot, "12").status == .created)
            // The node has not seen an answer proving Ben's bid on a lot it knows: the store answers, and teaches it.
            let before = Counts(metrics)
            let fromStore = try await client.bid(ben, lot: lot, "12", method: .patch)
            let afterStore = Counts(metrics)
            let local = try await client.bid(ben, lot: lot, "12", method: .patch)
            let afterLocal = Counts(metrics)
            #expect(fromStore.status == .badRequest && fromStore.detail == Self.tooLow + "12.01")
            #expect(afterStore.storeBids == before.storeBids + 1)
            #expect(local.status == fromStore.status)
            #expect(local.text == fromStore.text)
            #expect(local.headers[.contentType] == fromStore.headers[.contentType])
            #expect(afterLocal.storeBids == afterStore.storeBids)
            #expect(afterLocal.tooLow == afterStore.tooLow + 1)
            // A bid at the minimum goes to the store, which takes it; the next too-low one knows the new price.
            #expect(try await client.bid(ben, lot: lot, "12.01", method: .patch).status == .ok)
            let raised = try await client.bid(ben, lot: lot, "12.01", method: .patch)
            #expect(raised.detail == Self.tooLow + "12.02")
            #expect(Counts(metrics).storeBids == afterLocal.storeBids + 1)
        }
    }

    /// Lot `unseen` only ever had POSTs (which read nothing more), so its refusal is the store's.
    @Test(arguments: TestStorage.allCases)
    func aBidOnAFinishedLotGetsTheStoresAnswer(storage: TestStorage) async throws {
        let metrics = ServerMetrics()
        try await TestApp.run(storage: storage, metrics: metrics) { client in
            let owner = try await client.register("dee")
            let ben = try await client.register("ben")
            let cat = try await client.register("cat")
            let known = try await client.createLot(owner, price: "10")
            let unseen = try await client.createLot(owner, price: "10")
            #expect(try await client.bid(ben, lot: known, "11").status == .created)
            #expect(try await client.bid(ben, lot: known, "11", method: .patch).status == .badRequest)
            for lot in [known, unseen] {
                #expect(try await client.call(.patch, "/lots/\(lot)/status?lot_status=finished", token: owner.token).status == .ok)
            }
            let before = Counts(metrics)
            let fromStore = try await client.bid(cat, lot: unseen, "99")
            let afterStore = Counts(metrics)
            let local = try await client.bid(cat, lot: known, "99")
            let afterLocal = Counts(metrics)
            #expect(fromStore.status == .badRequest && fromStore.detail == "Lot is finished: it no longer takes bids")
            #expect(afterStore.storeBids == before.storeBids + 1)
            #expect(local.status == fromStore.status && local.text == fromStore.text)
            #expect(afterLocal.storeBids == afterStore.storeBids && afterLocal.finished == afterStore.finished + 1)
            // The owner's answer comes first in the rules: the store gives it.
            #expect(try await client.bid(owner, lot: known, "99").status == .forbidden)
            #expect(Counts(metrics).storeBids == afterLocal.storeBids + 1)
        }
    }

    /// The middleware runs first: a key's first answer is replayed, whoever gave it.
    @Test(arguments: TestStorage.allCases)
    func aReplayedKeyGetsItsFirstAnswer(storage: TestStorage) async throws {
        let metrics = ServerMetrics()
        try await TestApp.run(storage: storage, metrics: metrics) { client in
            let owner = try await client.register("eve")
            let ben = try await client.register("ben")
            let cat = try await client.register("cat")
            let lot = try await client.createLot(owner, price: "10")
            #expect(try await client.bid(ben, lot: lot, "11").status == .created)
            let accepted = try await client.call(
                .patch, "/lots/\(lot)/bids", .form(["amount": "12"]), token: ben.token, headers: IdempotencyRoutesTests.key("k1"))
            #expect(accepted.status == .ok)
            #expect(try await client.bid(cat, lot: lot, "13").status == .created)
            #expect(try await client.bid(ben, lot: lot, "12.50", method: .patch).status == .badRequest)
            let stored = Counts(metrics).storeBids
            // Refused here now, but k1 was answered before: its 200 again.
            let replay = try await client.call(
                .patch, "/lots/\(lot)/bids", .form(["amount": "12"]), token: ben.token, headers: IdempotencyRoutesTests.key("k1"))
            #expect(replay.status == .ok && replay.text == accepted.text)
            #expect(replay.headers[IdempotencyKeyHeader.replayed] == "true")
            // A refusal given here is kept for its key like the store's.
            let refused = try await client.call(
                .patch, "/lots/\(lot)/bids", .form(["amount": "12.75"]), token: ben.token, headers: IdempotencyRoutesTests.key("k2"))
            #expect(refused.status == .badRequest && refused.detail == Self.tooLow + "13.01")
            #expect(Counts(metrics).storeBids == stored)
            let again = try await client.call(
                .patch, "/lots/\(lot)/bids", .form(["amount": "12.75"]), token: ben.token, headers: IdempotencyRoutesTests.key("k2"))
            #expect(again.status == .badRequest && again.text == refused.text)
            #expect(again.headers[IdempotencyKeyHeader.replayed] == "true")
        }
    }
}
