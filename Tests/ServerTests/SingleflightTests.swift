@testable import AuctionServer
import Synchronization
import Testing

/// A read that waits until the test opens it, counting how often it ran.
final class GatedRead: Sendable {
    private let runs = Atomic<Int>(0)
    private let gate = ReadySignalGate()

    var count: Int { runs.load(ordering: .relaxed) }

    func read(_ value: Int) async throws -> Int {
        runs.add(1, ordering: .relaxed)
        try await gate.wait()
        return value
    }

    func open(_ result: Result<Void, any Error> = .success(())) { gate.open(result) }
}

/// Opens once; waiters before and after get the same outcome.
final class ReadySignalGate: Sendable {
    private let state = Mutex<(Result<Void, any Error>?, [CheckedContinuation<Void, any Error>])>((nil, []))

    func open(_ result: Result<Void, any Error>) {
        let waiters = state.withLock { state in
            state.0 = result
            defer { state.1 = [] }
            return state.1
        }
        for waiter in waiters { waiter.resume(with: result) }
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let done: Result<Void, any Error>? = state.withLock { state in
                if let result = state.0 { return result }
                state.1.append(continuation)
                return nil
            }
            if let done { continuation.resume(with: done) }
        }
    }
}

struct ReadFailed: Error, Equatable {}

@Suite("Singleflight")
struct SingleflightTests {
    /// Polls (up to 10 s) until `key`'s read has `callers` callers.
    static func until(_ flights: Singleflight<String, Int>, _ key: String, has callers: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while flights.callers(of: key) < callers, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        #expect(flights.callers(of: key) == callers)
    }

    @Test func aThousandIdenticalReadsInFlightAreOneRead() async throws {
        let flights = Singleflight<String, Int>()
        let read = GatedRead()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<1000 {
                group.addTask { try await flights.value(for: "lot 1 since 4") { try await read.read(42) } }
            }
            try await Self.until(flights, "lot 1 since 4", has: 1000)
            read.open()
            var values: [Int] = []
            for try await value in group { values.append(value) }
            #expect(values == Array(repeating: 42, count: 1000))
        }
        #expect(read.count == 1)
        #expect(flights.callers(of: "lot 1 since 4") == 0)
    }

    @Test func differentKeysReadEachOnTheirOwn() async throws {
        let flights = Singleflight<String, Int>()
        let read = GatedRead()
        try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for key in ["since 1", "since 2", "since 1", "since 3"] {
                group.addTask { (key, try await flights.value(for: key) { try await read.read(Int(key.suffix(1))!) }) }
            }
            try await Self.until(flights, "since 1", has: 2)
            try await Self.until(flights, "since 2", has: 1)
            try await Self.until(flights, "since 3", has: 1)
            read.open()
            for try await (key, value) in group { #expect(value == Int(key.suffix(1))) }
        }
        #expect(read.count == 3)
    }

    @Test func anErrorReachesEveryWaiterAndIsNotKept() async throws {
        let flights = Singleflight<String, Int>()
        let failing = GatedRead()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask {
                    await #expect(throws: ReadFailed.self) { try await flights.value(for: "k") { try await failing.read(1) } }
                }
            }
            try await Self.until(flights, "k", has: 10)
            failing.open(.failure(ReadFailed()))
            try await group.waitForAll()
        }
        #expect(failing.count == 1)
        // The next caller reads again, and succeeds.
        let next = GatedRead()
        next.open()
        #expect(try await flights.value(for: "k") { try await next.read(7) } == 7)
        #expect(next.count == 1)
    }

    @Test func aSharedValueTheCallerCannotUseIsReadAgain() async throws {
        let flights = Singleflight<String, Int>()
        let first = GatedRead()
        let again = GatedRead()
        again.open()
        async let owner = flights.value(for: "k") { try await first.read(5) }
        try await Self.until(flights, "k", has: 1)
        async let late = flights.value(for: "k", fresh: { $0 >= 6 }) { try await again.read(6) }
        try await Self.until(flights, "k", has: 2)
        first.open()
        #expect(try await owner == 5)
        #expect(try await late == 6)
        #expect(first.count == 1)
        #expect(again.count == 1)
    }
}

@Suite("Singleflight retention")
struct SingleflightRetentionTests {
    @Test func aKeptValueServesLaterCallersThatAcceptIt() async throws {
        let flights = Singleflight<String, Int>(retention: .seconds(600))
        let read = GatedRead()
        read.open()
        #expect(try await flights.value(for: "k") { try await read.read(1) } == 1)
        #expect(try await flights.value(for: "k") { try await read.read(2) } == 1)
        #expect(read.count == 1)
        // A caller that needs more reads, and what it read is kept instead.
        #expect(try await flights.value(for: "k", fresh: { $0 >= 3 }) { try await read.read(3) } == 3)
        #expect(try await flights.value(for: "k") { try await read.read(4) } == 3)
        #expect(read.count == 2)
    }

    @Test func aValueIsNotKeptPastItsRetention() async throws {
        let flights = Singleflight<String, Int>(retention: .milliseconds(1))
        let read = GatedRead()
        read.open()
        #expect(try await flights.value(for: "k") { try await read.read(1) } == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await flights.value(for: "k") { try await read.read(2) } == 2)
        #expect(read.count == 2)
    }

    @Test func withoutRetentionNothingIsKept() async throws {
        let flights = Singleflight<String, Int>()
        let read = GatedRead()
        read.open()
        #expect(try await flights.value(for: "k") { try await read.read(1) } == 1)
        #expect(try await flights.value(for: "k") { try await read.read(2) } == 2)
    }
}
