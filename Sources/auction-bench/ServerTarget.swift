import Foundation

/// The server a scenario runs against: a fresh one this bench started, or one
/// given by `--url` (then its memory and CPU are not known).
struct ServerTarget: Sendable {
    let address: ServerAddress
    let process: ServerProcess?

    static func launch(executable: URL, backends: BackendChoice, socketBufferLimit: Int) async throws -> ServerTarget {
        let process = try ServerProcess(
            executable: executable, backends: backends, socketBufferLimit: socketBufferLimit)
        try await process.start()
        return ServerTarget(address: ServerAddress(host: "127.0.0.1", port: process.port), process: process)
    }

    static func external(_ address: ServerAddress) -> ServerTarget {
        ServerTarget(address: address, process: nil)
    }

    func sample() -> ProcessSample? { process?.sample() }

    /// Peak RSS so far, CPU since `timedStart` and in all.
    func usage(timedStart: ProcessSample?, timedEnd: ProcessSample?) -> ServerUsage? {
        guard let now = sample() else { return nil }
        let timed = (timedEnd?.cpuSeconds ?? now.cpuSeconds) - (timedStart?.cpuSeconds ?? 0)
        return ServerUsage(
            peakRSSMiB: Double(now.peakRSSKiB) / 1024, cpuSecondsTimed: timed, cpuSecondsTotal: now.cpuSeconds)
    }

    func stop() async {
        await process?.stop()
    }
}
