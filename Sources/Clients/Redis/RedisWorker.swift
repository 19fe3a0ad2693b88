import Dispatch
import Foundation
import Synchronization

/// A dedicated thread that owns one connection slot and runs blocking jobs on
/// it one at a time, so that hiredis's blocking calls never occupy a NIO event
/// loop or the Swift cooperative pool. The thread starts with the first job.
final class RedisWorker: Sendable {
    /// A job gets the thread's connection slot (nil until a job opens one).
    typealias Job = @Sendable (inout RedisConnection?) -> Void

    private struct Queue {
        var jobs: [Job] = []
        var running = false
        var busy = false
        var stopped = false
    }

    private let name: String
    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    /// Jobs queued or running: the pool gives new work to the least loaded worker.
    var load: Int {
        queue.withLock { $0.jobs.count + ($0.busy ? 1 : 0) }
    }

    /// Runs `body` on the worker's thread and returns its result. A job that
    /// waited in the queue past `deadline` fails with `.timedOut` without running,
    /// so a backlog behind a dead server does not grow the wait without bound.
    func perform<T: Sendable>(
        deadline: ContinuousClock.Instant,
        _ body: @escaping @Sendable (inout RedisConnection?) throws(RedisError) -> T
    ) async throws(RedisError) -> T {
        let result: Result<T, RedisError> = await withCheckedContinuation { continuation in
            let accepted = enqueue { connection in
                guard ContinuousClock.now < deadline else {
                    continuation.resume(returning: .failure(.timedOut))
                    return
                }
                do throws(RedisError) {
                    continuation.resume(returning: .success(try body(&connection)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !accepted { continuation.resume(returning: .failure(.shutDown)) }
        }
        return try result.get()
    }

    /// Ends the thread after the jobs already queued; later jobs fail with `.shutDown`.
    func stop() {
        let wasRunning = queue.withLock { queue in
            queue.stopped = true
            return queue.running
        }
        if wasRunning { wakeUp.signal() }
    }

    private func enqueue(_ job: @escaping Job) -> Bool {
        let startThread = queue.withLock { queue -> Bool? in
            guard !queue.stopped else { return nil }
            queue.jobs.append(job)
            defer { queue.running = true }
            return !queue.running
        }
        guard let startThread else { return false }
        if startThread {
            let thread = Thread { [self] in loop() }
            thread.name = name
            thread.start()
        }
        wakeUp.signal()
        return true
    }

    private func loop() {
        var connection: RedisConnection?
        while true {
            wakeUp.wait()
            let next = queue.withLock { queue -> Job? in
                guard !queue.jobs.isEmpty else { return nil }
                queue.busy = true
                return queue.jobs.removeFirst()
            }
            if let next {
                next(&connection)
                queue.withLock { $0.busy = false }
                continue
            }
            // Woken with nothing queued: only `stop()` does that.
            if queue.withLock({ $0.stopped && $0.jobs.isEmpty }) { break }
        }
        connection = nil  // closes it, on this thread
    }
}
