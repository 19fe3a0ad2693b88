import AuctionCore
import Foundation
import Logging

/// S idle subscribers on one lot, then one bid: how long until every one has it,
/// and how much server memory each idle socket costs.
enum FanoutWorkload {
    static func run(
        subscribers count: Int, batch: Int, server: ServerTarget, wait: Duration, logger: Logger
    ) async throws -> FanoutResult {
        let address = server.address
        let prefix = Accounts.runPrefix()
        let admin = AuctionAPI(connection: try await HTTPConnection.connect(host: address.host, port: address.port))
        defer { Task { await admin.connection.close() } }
        let owner = try await Accounts.register(count: 1, prefix: prefix + "-owner", server: address)[0]
        let bidder = try await Accounts.register(count: 1, prefix: prefix, server: address)[0]
        let lotID = try await admin.createLot(token: owner.token, title: "fan-out", startingPrice: BidRun.startingPrice)
        let lot = try await admin.lot(id: lotID)
        let url = "\(address.socketBase)/ws/lots/\(lotID)"

        // Idle memory: settle, sample, connect everyone in batches, settle, sample.
        try await Task.sleep(for: .milliseconds(500))
        let rssBefore = server.sample()?.rssKiB
        let connectStart = ContinuousClock.now
        var subscribers: [Subscriber] = []
        var failures = 0
        var firstError: String?
        var next = 0
        while next < count {
            let size = min(batch, count - next)
            next += size
            await withTaskGroup(of: Result<Subscriber, any Error>.self) { group in
                for _ in 0..<size {
                    group.addTask {
                        do {
                            return .success(
                                try await Subscriber.connect(url: url, lotID: lotID, startSeq: lot.seq, logger: logger))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                for await result in group {
                    switch result {
                    case .success(let subscriber): subscribers.append(subscriber)
                    case .failure(let error):
                        failures += 1
                        firstError = firstError ?? "\(error)"
                    }
                }
            }
        }
        let connectSeconds = (ContinuousClock.now - connectStart).seconds
        try await Task.sleep(for: .seconds(1))
        let rssAfter = server.sample()?.rssKiB
        let before = server.sample()

        // One bid; every subscriber should have its event. Timed from the bid's
        // response (the measure) and from the moment it was sent: the
        // server writes the event to the sockets before the bidder has its
        // response, so the first reads 0 for most subscribers; the second shows
        // how long writing to every socket takes.
        let amount = Money(cents: lot.minimumNext)
        let sent = MonotonicClock.nanoseconds()
        let response = try await admin.bid(token: bidder.token, lotID: lotID, amount: amount, mode: .create)
        let responded = MonotonicClock.nanoseconds()
        guard response.status == 201 else { throw AuctionAPI.failure("POST /lots/\(lotID)/bids", response) }
        let deadline = ContinuousClock.now + wait
        while ContinuousClock.now < deadline, subscribers.contains(where: { $0.log.count == 0 }) {
            try await Task.sleep(for: .milliseconds(5))
        }
        let after = server.sample()

        var audit = EventAudit()
        var fromSent = EventAudit()
        let accepted = AcceptedBid(lotID: lotID, bidder: bidder.username, cents: amount.cents)
        let lastSeq = try await admin.lot(id: lotID).seq
        audit.checkLog(try await admin.events(lotID: lotID), lotID: lotID, accepted: [accepted])
        for subscriber in subscribers {
            audit.checkSubscriber(subscriber, lastSeq: lastSeq, acceptedAt: [accepted: responded])
            fromSent.checkSubscriber(subscriber, lastSeq: lastSeq, acceptedAt: [accepted: sent])
        }
        let delivered = subscribers.filter { $0.log.count > 0 }.count
        let usage = server.usage(timedStart: before, timedEnd: after)
        await closeAll(subscribers, batch: batch)

        let perSocket: Double? =
            if let rssBefore, let rssAfter, !subscribers.isEmpty {
                Double(rssAfter - rssBefore) / Double(subscribers.count)
            } else { nil }
        return FanoutResult(
            subscribers: count, connected: subscribers.count, connectFailures: failures, firstError: firstError,
            connectSeconds: connectSeconds, delivered: delivered,
            // A subscriber that never connected never had the event either.
            missed: audit.missed + failures, duplicated: audit.duplicated,
            latency: audit.deliveryLatency.summary, latencyFromSent: fromSent.deliveryLatency.summary,
            eventsOvertookResponse: audit.overtookResponse,
            rssBeforeKiB: rssBefore, rssAfterKiB: rssAfter, kibPerSocket: perSocket, server: usage)
    }

    private static func closeAll(_ subscribers: [Subscriber], batch: Int) async {
        await inBatches(subscribers, batch: batch) { await $0.close() }
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
