import Synchronization

/// The error of an operation that outlived its deadline.
public struct DeadlineExceeded: Error {
    public let timeout: Duration
}

/// Runs `operation` and returns its result, or throws `DeadlineExceeded` once
/// `timeout` has passed, whichever comes first.
///
/// Why not a task group: a group waits for every child, and a query on a
/// connection whose peer went silent does not react to cancellation, so the
/// caller would wait as long as TCP does. Here the operation runs in its own task
/// that is cancelled (and left to end on its own) when the deadline wins, so the
/// caller's wait is bounded whatever the operation does.
public func withDeadline<Value: Sendable>(
    _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let race = DeadlineRace<Value>()
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { continuation in
            race.start(continuation: continuation, timeout: timeout, operation: operation)
        }
    } onCancel: {
        race.finish(.failure(CancellationError()))
    }
}

/// The shared state of one `withDeadline` call: the waiting caller and the two
/// tasks racing to answer it. Whoever finishes first resumes the caller and
/// cancels the other.
private final class DeadlineRace<Value: Sendable>: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Value, any Error>?
        var outcome: Result<Value, any Error>?
        var work: Task<Void, Never>?
        var timer: Task<Void, Never>?
    }

    private let state = Mutex(State())

    func start(
        continuation: CheckedContinuation<Value, any Error>, timeout: Duration,
        operation: @escaping @Sendable () async throws -> Value
    ) {
        // Cancelled before starting: answer at once, start nothing.
        let early = state.withLock { state -> Result<Value, any Error>? in
            if let outcome = state.outcome { return outcome }
            state.continuation = continuation
            return nil
        }
        if let early {
            continuation.resume(with: early)
            return
        }
        let timer = Task {
            guard (try? await Task.sleep(for: timeout)) != nil else { return }
            self.finish(.failure(DeadlineExceeded(timeout: timeout)))
        }
        let work = Task {
            let result: Result<Value, any Error>
            do { result = .success(try await operation()) } catch { result = .failure(error) }
            self.finish(result)
        }
        let finishedMeanwhile = state.withLock { state -> Bool in
            state.timer = timer
            state.work = work
            return state.outcome != nil
        }
        if finishedMeanwhile {
            timer.cancel()
            work.cancel()
        }
    }

    /// Resumes the caller with `result` unless someone already did.
    func finish(_ result: Result<Value, any Error>) {
        let (continuation, tasks) = state.withLock { state -> (CheckedContinuation<Value, any Error>?, [Task<Void, Never>]) in
            guard state.outcome == nil else { return (nil, []) }
            state.outcome = result
            let continuation = state.continuation
            state.continuation = nil
            return (continuation, [state.work, state.timer].compactMap { $0 })
        }
        for task in tasks { task.cancel() }
        continuation?.resume(with: result)
    }
}
