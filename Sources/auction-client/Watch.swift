import ArgumentParser
import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// Watches one lot's events: `auction-client [watch] lot_id [--url URL] [--port PORT] [--since N]`.
/// Prints each event on one line; when the connection drops it reconnects with
/// backoff and `?since=<last seq>`, so no event is missed or printed twice.
struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a lot's live events, one JSON object per line (the default command).")

    @Argument(help: "The lot to watch.") var lotID: Int64
    @OptionGroup var server: ServerOptions
    @Option(help: "Start after this event number: replay every later event first.") var since: Int64?
    @Option(help: "Stop after this many events (default: run until interrupted).") var count: Int?

    func validate() throws {
        guard lotID > 0 else { throw ValidationError("lot_id must be a positive integer") }
        if let since, since < 0 { throw ValidationError("--since must be at least 0") }
    }

    func run() async throws {
        var logger = Logger(label: "auction-client")
        logger.logLevel = .critical
        let state = ClientState(lastSeq: since)
        var delay = Duration.milliseconds(250)
        while true {
            let target = socketURL(since: state.lastSeq)
            do {
                try await WebSocketClient.connect(url: target, logger: logger) { inbound, _, _ in
                    state.markConnected()
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        state.record(text)
                        // Unbuffered, so a pipe sees each event as it arrives.
                        FileHandle.standardOutput.write(Data((text + "\n").utf8))
                        if let count, state.printed >= count { throw Finished() }
                    }
                }
                delay = .milliseconds(250)
                note("connection closed by the server")
            } catch is Finished {
                return
            } catch let error as WebSocketClientError where error == .webSocketUpgradeFailed {
                // At first, a refusal means a wrong lot or URL. Once the lot has been
                // watched, it is passing (storage down: 503), so keep trying.
                guard state.connectedOnce else {
                    note("the server refused lot \(lotID): it does not exist or the URL is wrong")
                    throw ExitCode.failure
                }
                note("the server refused the connection for now")
            } catch {
                note("connection to \(target) failed: \(error)")
            }
            let resume = state.lastSeq.map { " with ?since=\($0)" } ?? ""
            note("reconnecting in \(delay)\(resume)")
            try await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(10))
        }
    }

    func socketURL(since: Int64?) -> String {
        var components = server.components(secureScheme: "wss", plainScheme: "ws")
        components.path = "/ws/lots/\(lotID)"
        if let since { components.queryItems = [URLQueryItem(name: "since", value: String(since))] }
        return components.string!
    }

    func note(_ text: String) { Terminal.note(text) }
}

struct Finished: Error {}

/// The last event number seen, kept across reconnections, and whether any
/// connection has been accepted yet.
final class ClientState: Sendable {
    private let state: Mutex<(lastSeq: Int64?, printed: Int, connectedOnce: Bool)>

    init(lastSeq: Int64?) { state = Mutex((lastSeq, 0, false)) }

    var lastSeq: Int64? { state.withLock { $0.lastSeq } }
    var printed: Int { state.withLock { $0.printed } }
    var connectedOnce: Bool { state.withLock { $0.connectedOnce } }

    func markConnected() { state.withLock { $0.connectedOnce = true } }

    func record(_ text: String) {
        struct Numbered: Decodable { let seq: Int64 }
        let seq = try? JSONDecoder().decode(Numbered.self, from: Data(text.utf8)).seq
        state.withLock {
            if let seq { $0.lastSeq = seq }
            $0.printed += 1
        }
    }
}
