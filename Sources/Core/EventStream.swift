/// A numbered sequence of events: a lot's log (`seq` per lot) or a user's own
/// log (`seq` per user). Hubs, brokers and sockets route by it.
public enum EventStream: Sendable, Hashable {
    case lot(Int64)
    case user(Int64)
}
