import AuctionCore
import Foundation
import Testing

@Suite("Timestamp")
struct TimestampTests {
    @Test("milliseconds round-trip, and truncation is stable")
    func milliseconds() {
        for ms: Int64 in [0, 1, 999, 1_764_000_000_123, 1_800_000_000_987, 4_102_444_800_001] {
            let date = Timestamp.date(milliseconds: ms)
            #expect(Timestamp.milliseconds(date) == ms)
            #expect(Timestamp.truncated(date) == date)
        }
        let precise = Date(timeIntervalSince1970: 1_764_000_000.123_9)
        #expect(Timestamp.milliseconds(precise) == 1_764_000_000_123)
        #expect(Timestamp.truncated(Timestamp.truncated(precise)) == Timestamp.truncated(precise))
    }

    @Test("every millisecond survives the column and the text form")
    func sweep() {
        // A deterministic spread over 1970...2100, where plain flooring went wrong
        // for about half the values (the formatter) or one in twenty (milliseconds).
        var ms: Int64 = 0
        for _ in 0..<20_000 {
            ms = (ms &* 6_364_136_223_846_793 &+ 1_442_695_040_888_963) & 0x3FF_FFFF_FFFF
            let value = ms % 4_102_444_800_000
            let date = Timestamp.date(milliseconds: value)
            let text = Timestamp.format(date)
            guard Timestamp.milliseconds(date) == value,
                  text.hasSuffix(String(format: ".%03dZ", Int(value % 1000))),
                  Timestamp.parse(text) == date
            else {
                Issue.record("\(value) ms: \(Timestamp.milliseconds(date)), \(text)")
                return
            }
        }
    }

    @Test("RFC 3339 with milliseconds, parsed back")
    func format() throws {
        let date = Timestamp.date(milliseconds: 1_764_000_000_120)
        #expect(Timestamp.format(date) == "2025-11-24T16:00:00.120Z")
        #expect(Timestamp.parse(Timestamp.format(date)) == date)
        #expect(Timestamp.parse("2025-11-24T17:00:00+01:00") == Timestamp.date(milliseconds: 1_764_000_000_000))
        #expect(Timestamp.parse("2025-11-24T16:00:00.120999Z") == date)
        #expect(Timestamp.parse("yesterday") == nil)
    }
}
