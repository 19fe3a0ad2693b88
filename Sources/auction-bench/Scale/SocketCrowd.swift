import Foundation
import NIOCore

/// Many scale subscribers, connected in batches from spread source addresses,
/// and what they received. `firstIndex` continues the source-address count
/// across crowds, so two crowds never bind the same ports.
struct SocketCrowd: Sendable {
    var members: [ScaleSubscriber] = []
    var failures = 0
    var firstError: String?
    var seconds = 0.0

    static func connect(
        _ count: Int, to target: ScaleSubscriber.Target, lotID: Int64, startSeq: Int64,
        addresses: SourceAddresses, firstIndex: Int, batch: Int
    ) async -> SocketCrowd {
        var crowd = SocketCrowd()
        let start = ContinuousClock.now
        var next = 0
        while next < count {
            let size = min(batch, count - next)
            let from = firstIndex + next
            next += size
            await withTaskGroup(of: Result<ScaleSubscriber, any Error>.self) { group in
                for index in from..<(from + size) {
                    group.addTask {
                        do {
                            return .success(try await ScaleSubscriber.connect(
                                to: target, from: addresses.address(of: index), lotID: lotID, startSeq: startSeq))
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

    mutating func add(_ result: Result<ScaleSubscriber, any Error>) {
        switch result {
        case .success(let member): members.append(member)
        case .failure(let error):
            failures += 1
            firstError = firstError ?? "\(error)"
        }
    }

    /// Waits (until `deadline`) for every member to have `events` events.
    static func waitForAll(_ members: [ScaleSubscriber], events: Int, until deadline: ContinuousClock.Instant) async {
        var pending = members
        while !pending.isEmpty, ContinuousClock.now < deadline {
            pending.removeAll { $0.log.count >= events }
            if !pending.isEmpty { try? await Task.sleep(for: .milliseconds(20)) }
        }
    }

    static func closeAll(_ members: [ScaleSubscriber], batch: Int) async {
        await inBatches(members, batch: batch) { await $0.close() }
    }
}

/// Runs `work` on every item, `batch` at a time (so many sockets do not all close at once).
func inBatches<T: Sendable>(_ items: [T], batch: Int, _ work: @escaping @Sendable (T) async -> Void) async {
    var index = 0
    while index < items.count {
        let slice = items[index..<min(index + batch, items.count)]
        index += batch
        await withTaskGroup(of: Void.self) { group in
            for item in slice { group.addTask { await work(item) } }
        }
    }
}
