import Foundation
import Synchronization

/// A child process started with `posix_spawn`, for the tests.
///
/// Not Foundation's `Process`: on Linux its `run()` reads `/proc/self/fd` with a
/// 256-byte copy of each `dirent` (`findMaximumOpenFromProcSelfFD`), which
/// over-reads glibc's buffer and crashes the caller now and then
/// (swift-corelibs-foundation#5472, still in Swift 6.3.1). The test process
/// spawns hundreds of children beside thousands of sockets, and one run here
/// ended with that signal 11. The child gets the given descriptors as 0, 1 and
/// 2 and no other (`posix_spawn_file_actions_addclosefrom_np`), so it can hold
/// no other test's pipe open.
public final class Spawned: Sendable {
    public let processIdentifier: pid_t
    public enum TerminationReason: Sendable { case exit, uncaughtSignal }
    /// How it ended once reaped: the exit status, or the signal's number (as `Process` says).
    private let status = Mutex<(code: Int32, reason: TerminationReason)?>(nil)

    /// `environment` nil: the test process's own. `input`, `output`, `errors`:
    /// descriptors the child gets as 0, 1 and 2 (the caller keeps and closes its copies).
    public init(
        _ executable: URL, _ arguments: [String], environment: [String: String]? = nil,
        input: Int32, output: Int32, errors: Int32
    ) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (from, to) in [(input, 0), (output, 1), (errors, 2)] {
            try Self.check(posix_spawn_file_actions_adddup2(&actions, from, Int32(to)), "dup2")
        }
        guard let closeFrom = Self.closeFrom else { throw SpawnFailed(reason: "no posix_spawn_file_actions_addclosefrom_np") }
        try Self.check(closeFrom(&actions, 3), "closefrom")

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Its own process group, as Process does; no signal blocked, SIGPIPE as by default.
        var none = sigset_t()
        sigemptyset(&none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([executable.path] + arguments).map { strdup($0) }
        let envp = (environment ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") }
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let result = (argv + [nil]).withUnsafeBufferPointer { argvPointer in
            (envp + [nil]).withUnsafeBufferPointer { envpPointer in
                posix_spawn(
                    &pid, executable.path, &actions, &attributes,
                    UnsafeMutablePointer(mutating: argvPointer.baseAddress!),
                    UnsafeMutablePointer(mutating: envpPointer.baseAddress!))
            }
        }
        try Self.check(result, "posix_spawn \(executable.path)")
        processIdentifier = pid
    }

    public var isRunning: Bool { reap(blocking: false) == nil }

    /// The exit status (or the signal's number); call once it ended.
    public var terminationStatus: Int32 { reap(blocking: false)?.code ?? -1 }

    public var terminationReason: TerminationReason? { reap(blocking: false)?.reason }

    public func terminate() { send(SIGTERM) }

    public func send(_ signal: Int32) {
        if isRunning { _ = kill(processIdentifier, signal) }
    }

    /// Blocks its thread until the child ended.
    public func waitUntilExit() { _ = reap(blocking: true) }

    /// Waits for the end without blocking a thread of the pool.
    public func exit(within seconds: Double) async -> Int32? {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while isRunning {
            guard ContinuousClock.now < deadline else { return nil }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return terminationStatus
    }

    /// The status once the child is reaped (by this call or an earlier one).
    private func reap(blocking: Bool) -> (code: Int32, reason: TerminationReason)? {
        while true {
            if let known = status.withLock({ $0 }) { return known }
            var raw: Int32 = 0
            let result = waitpid(processIdentifier, &raw, blocking ? 0 : WNOHANG)
            if result == processIdentifier {
                // WIFEXITED, WEXITSTATUS, WTERMSIG, which Swift does not import.
                let ended = (raw & 0x7f) == 0 ? (code: (raw >> 8) & 0xff, reason: TerminationReason.exit) : (raw & 0x7f, .uncaughtSignal)
                return status.withLock { stored in
                    if stored == nil { stored = ended }
                    return stored
                }
            }
            if result == 0 { return nil }
            if errno == EINTR { continue }
            // ECHILD: another thread reaped it and is storing the status.
            if let known = status.withLock({ $0 }) { return known }
            if !blocking { return nil }
            usleep(1000)
        }
    }

    private static func check(_ result: Int32, _ what: String) throws {
        guard result == 0 else { throw SpawnFailed(reason: "\(what): \(String(cString: strerror(result)))") }
    }

    /// glibc 2.34's GNU extension, which Swift's Glibc module does not declare.
    private typealias CloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let closeFrom: CloseFrom? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addclosefrom_np") else {
            return nil
        }
        return unsafeBitCast(symbol, to: CloseFrom.self)
    }()

    public struct SpawnFailed: Error, CustomStringConvertible {
        public let reason: String
        public var description: String { "cannot start a child process: \(reason)" }
    }
}

/// Descriptors for a child's standard streams, opened close-on-exec (the child
/// gets its copies through `dup2`).
public enum ChildDescriptors {
    public static func nullDevice(writing: Bool = false) throws -> Int32 {
        try opened(open("/dev/null", (writing ? O_WRONLY : O_RDONLY) | O_CLOEXEC), "/dev/null")
    }

    public static func writing(to url: URL) throws -> Int32 {
        try opened(open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644), url.path)
    }

    /// A pipe: (read end, write end).
    public static func pipe() throws -> (read: Int32, write: Int32) {
        // pipe2 is not in Swift's Glibc; the flag set just after is enough, as every
        // child the tests start closes all but 0, 1 and 2 (closefrom).
        var ends: [Int32] = [0, 0]
        guard Glibc.pipe(&ends) == 0 else { throw Spawned.SpawnFailed(reason: "pipe: \(String(cString: strerror(errno)))") }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return (ends[0], ends[1])
    }

    private static func opened(_ descriptor: Int32, _ what: String) throws -> Int32 {
        guard descriptor >= 0 else { throw Spawned.SpawnFailed(reason: "open \(what): \(String(cString: strerror(errno)))") }
        return descriptor
    }
}
