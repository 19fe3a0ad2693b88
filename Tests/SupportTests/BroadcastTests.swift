import AuctionSupport
import Testing

@Suite("Broadcast")
struct BroadcastTests {
    @Test("concurrent yielders: every subscriber gets every value in one same order")
    func oneOrderForAll() async {
        let broadcast = Broadcast<Int>()
        let streams = (0..<4).map { _ in broadcast.subscribe() }
        let (yielders, perYielder) = (8, 500)
        await withTaskGroup(of: Void.self) { group in
            for yielder in 0..<yielders {
                group.addTask {
                    for index in 0..<perYielder { broadcast.yield(yielder * perYielder + index) }
                }
            }
        }
        broadcast.finish()
        var orders: [[Int]] = []
        for stream in streams {
            var order: [Int] = []
            for await value in stream { order.append(value) }
            orders.append(order)
        }
        #expect(orders[0].count == yielders * perYielder)
        #expect(Set(orders[0]).count == yielders * perYielder)
        for order in orders.dropFirst() { #expect(order == orders[0]) }
    }

    @Test("finish ends the streams, and later subscriptions at once; an ended iteration unsubscribes")
    func finishAndUnsubscribe() async {
        let broadcast = Broadcast<String>()
        let kept = broadcast.subscribe()
        do {
            let dropped = broadcast.subscribe()
            #expect(broadcast.count == 2)
            _ = dropped
        }
        // A stream that nobody holds any more is terminated, which unsubscribes it.
        #expect(broadcast.count == 1)
        broadcast.yield("a")
        broadcast.finish()
        broadcast.yield("after")
        var received: [String] = []
        for await value in kept { received.append(value) }
        #expect(received == ["a"])
        var late: [String] = []
        for await value in broadcast.subscribe() { late.append(value) }
        #expect(late.isEmpty)
        #expect(broadcast.count == 0)
    }
}
