import AuctionCore
@testable import AuctionServer
import Testing

@Suite("Socket sequencer")
struct SocketSequencerTests {
    static func event(_ seq: Int64) -> EventRecord { EventRecord(lotID: 1, seq: seq, json: "{\"seq\":\(seq)}") }
    static func seqs(_ step: SocketSequencer.Step) -> [Int64] { step.send.map(\.seq) }

    @Test func liveEventsWaitForTheJoinThenGoInOrderOnce() {
        var sequencer = SocketSequencer(start: 4, limit: 10)
        #expect(sequencer.received(Self.event(6)).send.isEmpty)
        #expect(sequencer.received(Self.event(5)).send.isEmpty)
        // Joined after 4: the waiting 5 and 6 go, in order.
        #expect(Self.seqs(sequencer.joined(after: 4)) == [5, 6])
        #expect(sequencer.received(Self.event(6)).send.isEmpty)
        #expect(Self.seqs(sequencer.received(Self.event(7))) == [7])
        #expect(sequencer.lastSent == 7)
    }

    @Test func sinceReadsTheLogFirstAndLiveEventsWaitForIt() {
        var sequencer = SocketSequencer(start: 2, limit: 10)
        let joined = sequencer.joined(after: 5)
        #expect(joined.fetchAfter == 2)
        #expect(joined.send.isEmpty)
        #expect(sequencer.received(Self.event(6)).send.isEmpty)
        let read = sequencer.fetched([3, 4, 5].map(Self.event))
        #expect(Self.seqs(read) == [3, 4, 5, 6])
        #expect(read.fetchAfter == nil)
    }

    /// Issue 10 item 1: the socket's start was fixed before its 101; events
    /// committed before it joined the hub are read from the log, not skipped.
    @Test func eventsBetweenTheStartAndTheJoinAreReadFromTheLog() {
        var sequencer = SocketSequencer(start: 0, limit: 10)
        let joined = sequencer.joined(after: 2)
        #expect(joined.fetchAfter == 0)
        #expect(sequencer.received(Self.event(3)).send.isEmpty)
        #expect(Self.seqs(sequencer.fetched([1, 2].map(Self.event))) == [1, 2, 3])
    }

    @Test func aStartAheadOfTheHubSkipsWhatItAlreadyCovers() {
        var sequencer = SocketSequencer(start: 5, limit: 10)
        #expect(sequencer.joined(after: 3) == SocketSequencer.Step())
        #expect(sequencer.received(Self.event(4)).send.isEmpty)
        #expect(sequencer.received(Self.event(5)).send.isEmpty)
        #expect(Self.seqs(sequencer.received(Self.event(6))) == [6])
    }

    @Test func aFullPageAsksForTheNext() {
        let pages = Int64(SocketSequencer.page) + 1
        var sequencer = SocketSequencer(start: 0, limit: 10)
        #expect(sequencer.joined(after: pages).fetchAfter == 0)
        let page = (1...Int64(SocketSequencer.page)).map(Self.event)
        let first = sequencer.fetched(page)
        #expect(first.send.count == SocketSequencer.page)
        #expect(first.fetchAfter == Int64(SocketSequencer.page))
        let last = sequencer.fetched([Self.event(Int64(SocketSequencer.page) + 1)])
        #expect(Self.seqs(last) == [Int64(SocketSequencer.page) + 1])
        #expect(last.fetchAfter == nil)
    }

    @Test func aGapIsFilledFromTheLogBeforeTheEventThatRevealedIt() {
        var sequencer = SocketSequencer(start: 0, limit: 10)
        #expect(sequencer.joined(after: 0) == SocketSequencer.Step())
        #expect(Self.seqs(sequencer.received(Self.event(1))) == [1])
        let gap = sequencer.received(Self.event(4))
        #expect(gap.send.isEmpty)
        #expect(gap.fetchAfter == 1)
        #expect(Self.seqs(sequencer.fetched([2, 3, 4].map(Self.event))) == [2, 3, 4])
        #expect(Self.seqs(sequencer.received(Self.event(5))) == [5])
    }

    @Test func tooManyWaitingEventsOverflow() {
        var sequencer = SocketSequencer(start: 0, limit: 3)
        _ = sequencer.joined(after: 2)  // reading the log: live events wait
        for seq in Int64(3)...5 { #expect(!sequencer.received(Self.event(seq)).overflow) }
        #expect(sequencer.received(Self.event(6)).overflow)
    }

    /// What a log read must reach: the join's `after`, or a held event (a coalesced
    /// read that started earlier may end before them).
    @Test func heardIsTheHighestSeqKnownToBeInTheLog() {
        var sequencer = SocketSequencer(start: 2, limit: 10)
        #expect(sequencer.heard == 2)
        #expect(sequencer.joined(after: 5).fetchAfter == 2)
        #expect(sequencer.heard == 5)
        _ = sequencer.received(Self.event(8))
        #expect(sequencer.heard == 8)
        _ = sequencer.fetched([3, 4, 5].map(Self.event))
        #expect(sequencer.heard == 8)
    }
}
