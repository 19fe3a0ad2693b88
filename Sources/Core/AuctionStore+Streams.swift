/// The event logs by stream, for the readers that serve lots and users alike
/// (the hub, the sockets).
extension AuctionStore {
    /// The stream's events with `seq > since`, in order, at most `limit`.
    public func events(in stream: EventStream, since: Int64, limit: Int) async throws -> [EventRecord] {
        switch stream {
        case .lot(let lotID): try await events(lotID: lotID, since: since, limit: limit)
        case .user(let userID): try await userEvents(userID: userID, since: since, limit: limit)
        }
    }

    /// The last number of each stream named (streams without events are left out).
    public func latestSeqs(streams: [EventStream]) async throws -> [EventStream: Int64] {
        var lotIDs: [Int64] = []
        var userIDs: [Int64] = []
        for stream in streams {
            switch stream {
            case .lot(let id): lotIDs.append(id)
            case .user(let id): userIDs.append(id)
            }
        }
        var seqs: [EventStream: Int64] = [:]
        if !lotIDs.isEmpty {
            for (id, seq) in try await latestSeqs(lotIDs: lotIDs) { seqs[.lot(id)] = seq }
        }
        if !userIDs.isEmpty {
            for (id, seq) in try await latestUserSeqs(userIDs: userIDs) { seqs[.user(id)] = seq }
        }
        return seqs
    }
}
