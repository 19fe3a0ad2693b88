import Foundation
import Logging

/// The scale scenarios of issue 14: 3 (100,000 idle sockets on one node), 4 (a
/// cluster of gateways behind one API node) and 5 (a mass reconnect from a
/// stopped gateway to another). Each on fresh server processes, stopped after.
struct ScaleRuns: Sendable {
    let executable: URL
    let addresses: SourceAddresses
    let batch: Int
    let wait: Duration

    /// Scenario 3: `sockets` idle sockets on one lot of one `role all` server.
    func oneNode(sockets: Int, backends: BackendChoice) async throws -> ScaleResult {
        try await withServers(["all"], backends: backends) { servers in
            try await fanout(
                name: "one node, \(backends.storage.rawValue.lowercased())", api: servers[0], gateways: servers,
                socketsEach: sockets)
        }
    }

    /// Scenario 4: `count` gateways with `socketsEach` sockets each, the bid through an API node.
    func cluster(gateways count: Int, socketsEach: Int, backends: BackendChoice) async throws -> ScaleResult {
        try await withServers(["api"] + Array(repeating: "gateway", count: count), backends: backends) { servers in
            try await fanout(
                name: "\(count) gateways, \(backends.broker.rawValue)", api: servers[0],
                gateways: Array(servers.dropFirst()), socketsEach: socketsEach)
        }
    }

    /// Scenario 5: `sockets` on gateway A; A gets SIGTERM (its sockets close with
    /// 1001) and a bid is placed at once; every client resumes on gateway B with
    /// `?since=` the last seq it had. All must have every event, and B's store
    /// reads of event pages must be one per lot per replay window, not per socket.
    func reconnect(sockets: Int, backends: BackendChoice) async throws -> ScaleResult {
        try await withServers(["api", "gateway", "gateway"], backends: backends) { servers in
            try await reconnect(sockets: sockets, api: servers[0], first: servers[1], second: servers[2], backends: backends)
        }
    }

    private func reconnect(
        sockets: Int, api: ServerProcess, first: ServerProcess, second: ServerProcess, backends: BackendChoice
    ) async throws -> ScaleResult {
        let lot = try await ScaleLot.create(on: api.address)
        let startSeq = try await lot.seq()
        let onFirst = await SocketCrowd.connect(
            sockets, to: first.target(lotID: lot.lotID), lotID: lot.lotID, startSeq: startSeq,
            addresses: addresses, firstIndex: 0, batch: batch)
        _ = try await lot.bid()
        let since = try await lot.seq()
        await SocketCrowd.waitForAll(onFirst.members, events: Int(since - startSeq), until: .now + wait)

        let eventReads = try await StoreCalls.read(at: second.address, operation: "events")
        let lotReads = try await StoreCalls.read(at: second.address, operation: "lot")
        let stopped = ContinuousClock.now
        let stopping = Task { await first.stop() }
        // A bid while the clients move: some have it live on B, the rest in their replay.
        let during = Task { try await lot.bid(raise: true) }
        let resumed = await SocketCrowd.reconnect(
            onFirst.members, to: second.target(lotID: lot.lotID, since: since), since: since,
            addresses: addresses, firstIndex: sockets, batch: batch)
        let (sent, bid) = try await during.value
        let lastSeq = try await lot.seq()
        await SocketCrowd.waitForAll(resumed.members, events: Int(lastSeq - since), until: stopped + wait)
        let resumeSeconds = (ContinuousClock.now - stopped).seconds
        await stopping.value
        let reads = try await StoreCalls.read(at: second.address, operation: "events") - eventReads
        let lots = try await StoreCalls.read(at: second.address, operation: "lot") - lotReads

        let audit = try await lot.audit(resumed.members, sent: [bid: sent])
        let delivered = resumed.members.filter { $0.log.count >= Int(lastSeq - since) }.count
        await SocketCrowd.closeAll(resumed.members, batch: batch)
        var result = ScaleResult(
            scenario: "mass reconnect, \(backends.broker.rawValue)", sockets: sockets,
            connected: resumed.members.count, connectFailures: onFirst.failures + resumed.failures,
            firstError: onFirst.firstError ?? resumed.firstError, connectSeconds: onFirst.seconds,
            delivered: delivered, missed: audit.missed + (sockets - resumed.members.count), duplicated: audit.duplicated,
            latencyFromSent: audit.deliveryLatency.summary)
        result.resumeSeconds = resumeSeconds
        result.storeEventReads = reads
        result.storeLotReads = lots
        result.allowedEventReads = ScaleTargets.allowedReads(
            lots: 1, eventsDuring: Int(lastSeq - since), seconds: resumeSeconds, window: 5)
        return result
    }

    /// Idle sockets on one lot, spread over `gateways`, then one bid through `api`.
    private func fanout(name: String, api: ServerProcess, gateways: [ServerProcess], socketsEach: Int) async throws
        -> ScaleResult
    {
        let lot = try await ScaleLot.create(on: api.address)
        let startSeq = try await lot.seq()
        try await Task.sleep(for: .milliseconds(500))
        let rssBefore = gateways.map { $0.sample()?.rssKiB }
        var crowd = SocketCrowd()
        for (index, gateway) in gateways.enumerated() {
            let part = await SocketCrowd.connect(
                socketsEach, to: gateway.target(lotID: lot.lotID), lotID: lot.lotID, startSeq: startSeq,
                addresses: addresses, firstIndex: index * socketsEach, batch: batch)
            crowd.members += part.members
            crowd.failures += part.failures
            crowd.firstError = crowd.firstError ?? part.firstError
            crowd.seconds += part.seconds
        }
        try await Task.sleep(for: .seconds(1))
        let rssAfter = gateways.map { $0.sample()?.rssKiB }
        let cpuBefore = gateways.map { $0.sample() }

        let (sent, bid) = try await lot.bid()
        let lastSeq = try await lot.seq()
        let expected = Int(lastSeq - startSeq)
        await SocketCrowd.waitForAll(crowd.members, events: expected, until: .now + wait)
        let audit = try await lot.audit(crowd.members, sent: [bid: sent])
        let delivered = crowd.members.filter { $0.log.count >= expected }.count
        let usage = zip(gateways, cpuBefore).compactMap { gateway, before in
            ServerTarget(address: gateway.address, process: gateway).usage(timedStart: before, timedEnd: nil)
        }
        await SocketCrowd.closeAll(crowd.members, batch: batch)

        let growth = zip(rssBefore, rssAfter).compactMap { before, after in before.flatMap { b in after.map { $0 - b } } }
        var result = ScaleResult(
            scenario: name, sockets: socketsEach * gateways.count, connected: crowd.members.count,
            connectFailures: crowd.failures, firstError: crowd.firstError, connectSeconds: crowd.seconds,
            delivered: delivered, missed: audit.missed + crowd.failures, duplicated: audit.duplicated,
            latencyFromSent: audit.deliveryLatency.summary)
        if growth.count == gateways.count, !crowd.members.isEmpty {
            result.kibPerSocket = Double(growth.reduce(0, +)) / Double(crowd.members.count)
        }
        result.server = usage.max { $0.cpuSecondsTimed < $1.cpuSecondsTimed }
        return result
    }

    /// Starts a server of each role (in order: the API node first migrates the
    /// schema), runs `body`, and stops them all, also on failure.
    private func withServers<T: Sendable>(
        _ roles: [String], backends: BackendChoice, _ body: ([ServerProcess]) async throws -> T
    ) async throws -> T {
        var started: [ServerProcess] = []
        do {
            for role in roles {
                let process = try ServerProcess(
                    executable: executable, backends: backends, socketBufferLimit: 4096, role: role)
                started.append(process)
                try await process.start()
            }
            let result = try await body(started)
            for process in started { await process.stop() }
            return result
        } catch {
            let errors = started.map { $0.errors() }.filter { !$0.isEmpty }.joined(separator: " | ")
            for process in started { await process.stop() }
            if errors.isEmpty { throw error }
            throw ServerProcess.Failure(description: "\(error); server stderr: \(errors)")
        }
    }
}

extension ServerProcess {
    var address: ServerAddress { ServerAddress(host: "127.0.0.1", port: port) }

    func target(lotID: Int64, since: Int64? = nil) -> ScaleSubscriber.Target {
        ScaleSubscriber.Target(
            host: "127.0.0.1", port: port, path: "/ws/lots/\(lotID)" + (since.map { "?since=\($0)" } ?? ""))
    }
}

/// A server's store calls of one operation so far, from its /metrics.
enum StoreCalls {
    static func read(at server: ServerAddress, operation: String) async throws -> Int {
        let connection = try await HTTPConnection.connect(host: server.host, port: server.port)
        do {
            let text = try await connection.send(.GET, "/metrics").text
            await connection.close()
            return count(in: text, operation: operation)
        } catch {
            await connection.close()
            throw error
        }
    }

    static func count(in metrics: String, operation: String) -> Int {
        let name = "auction_store_call_duration_seconds_count{operation=\"\(operation)\"}"
        for line in metrics.split(separator: "\n") where line.hasPrefix(name) {
            if let value = Double(line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)) { return Int(value) }
        }
        return 0
    }
}

extension SocketCrowd {
    /// Each member, once its server has closed it, connects again to `target`
    /// (`?since=` the last seq it had, as a client resumes); as many at once as
    /// `batch`.
    static func reconnect(
        _ members: [ScaleSubscriber], to target: ScaleSubscriber.Target, since: Int64,
        addresses: SourceAddresses, firstIndex: Int, batch: Int
    ) async -> SocketCrowd {
        var crowd = SocketCrowd()
        let start = ContinuousClock.now
        var next = 0
        while next < members.count {
            let slice = members[next..<min(next + batch, members.count)]
            let from = firstIndex + next
            next += slice.count
            await withTaskGroup(of: Result<ScaleSubscriber, any Error>.self) { group in
                for (offset, member) in slice.enumerated() {
                    group.addTask {
                        try? await member.closed.get()
                        do {
                            return .success(try await ScaleSubscriber.connect(
                                to: target, from: addresses.address(of: from + offset), lotID: member.lotID,
                                startSeq: since))
                        } catch {
                            return .failure(error)
                        }
                    }
                }
                for await result in group { crowd.add(result) }
            }
        }
        crowd.seconds = (ContinuousClock.now - start).seconds
        return crowd
    }
}
