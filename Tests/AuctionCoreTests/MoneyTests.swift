import AuctionCore
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    private struct Body: Decodable {
        let amount: Money
    }

    private func decode(_ json: String) throws -> Money {
        try JSONDecoder().decode(Body.self, from: Data("{\"amount\":\(json)}".utf8)).amount
    }

    @Test("accepted texts", arguments: [
        ("12.5", 12_50), ("12.50", 12_50), ("12", 12_00), ("0.01", 1), ("0012.5", 12_50), ("1.000", 1_00),
        ("1e2", 100_00), ("1E2", 100_00), ("1.5e-1", 15), ("12.5e1", 125_00),
        ("1000000000000", 100_000_000_000_000), ("1000000000000.00", 100_000_000_000_000),
    ] as [(String, Int64)])
    func accepted(text: String, cents: Int64) throws {
        #expect(try Money(parsing: text).cents == cents)
    }

    @Test("refused texts", arguments: [
        ("NaN", MoneyError.notANumber), ("nan", .notANumber), ("inf", .notANumber), ("Infinity", .notANumber),
        ("-inf", .notANumber), ("abc", .notANumber), ("", .notANumber), (" 1", .notANumber), ("1 ", .notANumber),
        ("1.", .notANumber), (".5", .notANumber), ("+1", .notANumber), ("1,5", .notANumber), ("0x10", .notANumber),
        ("١", .notANumber), ("e5", .notANumber),
        ("-1", .notPositive), ("0", .notPositive), ("0.00", .notPositive), ("-0", .notPositive),
        ("12.345", .tooPrecise), ("0.001", .tooPrecise),
        ("1e400", .outOfRange), ("1000000000000.01", .outOfRange), ("10000000000000", .outOfRange),
    ] as [(String, MoneyError)])
    func refused(text: String, error: MoneyError) {
        #expect(throws: error) { try Money(parsing: text) }
    }

    @Test("JSON numbers and strings are read exactly")
    func decoding() throws {
        #expect(try decode("12.5") == Money(cents: 12_50))
        #expect(try decode("\"12.5\"") == Money(cents: 12_50))
        #expect(try decode("\"12.50\"") == Money(cents: 12_50))
        #expect(try decode("12.3") == Money(cents: 12_30))
        #expect(try decode("0.07") == Money(cents: 7))
        #expect(try decode("1000000000000") == Money.maximum)
        for bad in ["12.345", "-1", "0", "1e400", "1000000000000.01", "\"abc\"", "\"NaN\"", "true", "null"] {
            #expect(throws: (any Error).self, "\(bad)") { try decode(bad) }
        }
    }

    @Test("description is the shortest exact decimal", arguments: [
        (12_50, "12.5"), (12_05, "12.05"), (100_00, "100"), (1, "0.01"), (10, "0.1"), (99, "0.99"),
        (100_000_000_000_000, "1000000000000"),
    ] as [(Int64, String)])
    func description(cents: Int64, text: String) throws {
        #expect(Money(cents: cents).description == text)
        #expect(try Money(parsing: text) == Money(cents: cents))
    }

    @Test("encodes as a JSON number")
    func encoding() throws {
        let encoded = try JSONEncoder().encode([Money(cents: 12_50), Money(cents: 12_05), Money(cents: 10), .maximum])
        #expect(String(decoding: encoded, as: UTF8.self) == "[12.5,12.05,0.1,1000000000000]")
    }

    @Test("order and sum")
    func arithmetic() {
        #expect(Money(cents: 1) < Money(cents: 2))
        #expect(Money(cents: 10_00) + .cent == Money(cents: 10_01))
        #expect(MoneyError.tooPrecise.description == "must have at most 2 decimal places")
    }
}
