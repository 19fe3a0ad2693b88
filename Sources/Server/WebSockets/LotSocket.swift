import AuctionCore
import NIOCore
import Synchronization

/// The hub's handle on one socket: hands events to the socket's handler on its
/// event loop, without waiting. Once the socket has closed it refuses them, and
/// the hub forgets it.
final class LotSocket: EventSink {
    private let handler: NIOLoopBound<LotSocketHandler>
    private let open = Atomic<Bool>(true)
    let session: SocketSession?

    init(_ handler: LotSocketHandler, eventLoop: any EventLoop, session: SocketSession? = nil) {
        self.handler = NIOLoopBound(handler, eventLoop: eventLoop)
        self.session = session
    }

    var eventLoop: any EventLoop { handler.eventLoop }

    /// False once the handler stopped taking events.
    var isOpen: Bool { open.load(ordering: .relaxed) }

    func offer(_ event: EventRecord) -> Bool {
        guard isOpen else { return false }
        let frame = ByteBuffer(string: event.json)
        handler.eventLoop.execute { [handler] in handler.value.received(event, frame: frame) }
        return true
    }

    /// The hub's batch for this socket's loop: called on `eventLoop`, with the
    /// frame every socket of the event shares.
    func receiveOnLoop(_ event: EventRecord, frame: ByteBuffer) {
        handler.value.received(event, frame: frame)
    }

    func checkAlive() {
        handler.eventLoop.execute { [handler] in handler.value.checkAlive() }
    }

    func close(code: Int, reason: String) {
        handler.eventLoop.execute { [handler] in handler.value.close(code: code, reason: reason) }
    }

    /// Called by the handler once it stops taking events.
    func markClosed() {
        open.store(false, ordering: .relaxed)
    }
}
