import AuctionSupport
import Dispatch
import Synchronization

/// The queue of work handed to a connection's thread, and the news of its end.
///
/// Any task may submit; only the connection's thread takes. Once the thread has
/// finished, submissions fail at once with the reason it finished.
final class AMQPMailbox: Sendable {
    /// Work for the connection's thread. `run` gets the thread-confined loop;
    /// `fail` is called instead when the connection is (or becomes) gone.
    struct Job: Sendable {
        let run: @Sendable (AMQPConnectionLoop) -> Void
        let fail: @Sendable (AMQPError) -> Void
    }

    private struct State {
        var jobs: [Job] = []
        var closeRequested = false
        var finished: AMQPError?
        var finishWaiters: [CheckedContinuation<AMQPError, Never>] = []
    }

    private let state = Mutex(State())
    /// Wakes the thread when it sleeps waiting for work. Extra signals only cost
    /// an extra turn of its loop.
    private let wakeup = DispatchSemaphore(value: 0)

    var isFinished: Bool { state.withLock { $0.finished != nil } }

    func submit(_ job: Job) {
        let finished = state.withLock { state -> AMQPError? in
            if let finished = state.finished { return finished }
            state.jobs.append(job)
            return nil
        }
        if let finished { job.fail(finished) } else { wakeup.signal() }
    }

    func requestClose() {
        state.withLock { $0.closeRequested = true }
        wakeup.signal()
    }

    /// The jobs waiting, and whether a close was asked for. When there are none
    /// and `wait` is given, sleeps up to that long for some first.
    func take(wait: Duration?) -> (jobs: [Job], closeRequested: Bool) {
        if let wait, state.withLock({ $0.jobs.isEmpty && !$0.closeRequested }) {
            _ = wakeup.wait(timeout: .now(plus: wait))
        }
        return state.withLock { state in
            defer { state.jobs.removeAll(keepingCapacity: true) }
            return (state.jobs, state.closeRequested)
        }
    }

    /// Records the end; fails what is still queued and wakes whoever waits for it.
    func finish(_ reason: AMQPError) {
        let (jobs, waiters) = state.withLock { state in
            state.finished = state.finished ?? reason
            defer {
                state.jobs = []
                state.finishWaiters = []
            }
            return (state.jobs, state.finishWaiters)
        }
        for job in jobs { job.fail(reason) }
        for waiter in waiters { waiter.resume(returning: reason) }
    }

    /// Returns when the connection has finished, with the reason.
    func waitUntilFinished() async -> AMQPError {
        await withCheckedContinuation { continuation in
            let finished = state.withLock { state -> AMQPError? in
                if let finished = state.finished { return finished }
                state.finishWaiters.append(continuation)
                return nil
            }
            if let finished { continuation.resume(returning: finished) }
        }
    }
}
