import AuctionSupport
import Dispatch
import Testing

/// A stand-in with the shape of C's `struct timeval`.
private struct CTimeval: TimevalConvertible, Equatable {
    var tv_sec: Int
    var tv_usec: Int
}

@Suite("Duration conversions")
struct DurationConversionTests {
    @Test("milliseconds round up, so a positive wait is never 0; negative is 0")
    func milliseconds() {
        #expect(Duration.seconds(2).milliseconds == 2000)
        #expect(Duration.milliseconds(1500).milliseconds == 1500)
        #expect(Duration.microseconds(1).milliseconds == 1)
        #expect(Duration.microseconds(5001).milliseconds == 6)
        #expect(Duration.zero.milliseconds == 0)
        #expect(Duration.milliseconds(-5).milliseconds == 0)
    }

    @Test("timeval carries seconds and microseconds; negative is zero")
    func timevalOfDuration() {
        #expect(CTimeval(.milliseconds(2_500)) == CTimeval(tv_sec: 2, tv_usec: 500_000))
        #expect(CTimeval(.nanoseconds(1_999)) == CTimeval(tv_sec: 0, tv_usec: 1))
        #expect(CTimeval(.milliseconds(-1)) == CTimeval(tv_sec: 0, tv_usec: 0))
    }

    @Test("a dispatch time is that long from now")
    func dispatchTime() {
        let before = DispatchTime.now().uptimeNanoseconds
        let time = DispatchTime.now(plus: .seconds(3)).uptimeNanoseconds
        #expect(time >= before + 3_000_000_000)
        #expect(DispatchTime.now(plus: .seconds(-3)).uptimeNanoseconds >= before)
    }
}
