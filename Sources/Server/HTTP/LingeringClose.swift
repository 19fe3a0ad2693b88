import NIOCore

extension Channel {
    /// Hangs up on a client that may still be sending: the output is shut now
    /// (the client reads what was written, then EOF), and the connection closed
    /// when the client hangs up or after `linger`. Closing at once with unread
    /// bytes would send a reset, which may destroy the answer before it is read;
    /// the caller drops what arrives meanwhile and keeps reading, to see the EOF.
    func closeLingering(after linger: TimeAmount = .seconds(2)) {
        close(mode: .output, promise: nil)
        eventLoop.scheduleTask(in: linger) { self.close(promise: nil) }
    }
}
