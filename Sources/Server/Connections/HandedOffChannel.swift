import HummingbirdCore
import Logging
import NIOCore

/// A server child channel whose connections become active only once the
/// server's task for them has started (`HandoffGate`), so that a connection
/// NIO drops during a shutdown does not trap.
struct HandedOffChannel<Base: ServerChildChannel>: ServerChildChannel {
    struct Value: ServerChildChannelValue {
        let base: Base.Value
        let gate: NIOLoopBound<HandoffGate>
        var channel: any Channel { base.channel }
    }

    let base: Base

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let gate = HandoffGate()
        do {
            try channel.pipeline.syncOperations.addHandler(gate, position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        let bound = NIOLoopBound(gate, eventLoop: channel.eventLoop)
        return base.setup(channel: channel, logger: logger).map { Value(base: $0, gate: bound) }
    }

    func handle(value: Value, logger: Logger) async {
        let gate = value.gate
        value.channel.eventLoop.execute { gate.value.claim() }
        await base.handle(value: value.base, logger: logger)
    }
}
