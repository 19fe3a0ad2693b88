import ArgumentParser
import Foundation

/// `auction-client lots`: the running lots (or `--status all|finished`), newest first.
struct Lots: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List lots, newest first.")

    @Option(help: "running (default), finished or all.") var status = "running"
    @Option(help: "At most this many lots.") var limit: Int?
    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ["running", "finished", "all"].contains(status) else {
            throw ValidationError("--status must be running, finished or all")
        }
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    struct Lot: Decodable {
        let id: Int64
        let title: String
        let status: String
        let highest_price: Double
        let highest_bidder: String?
        let bid_count: Int
        let ends_at: String?
    }

    func run() async throws {
        try await reportingFailures {
            var query = "?status=\(status)"
            if let limit { query += "&limit=\(limit)" }
            let body = try await APIClient(base: server.httpBase).send(.GET, "/lots" + query)
            if output.json { return printJSON(body) }
            let lots = try JSONDecoder().decode([Lot].self, from: body)
            if lots.isEmpty { return Terminal.line("no \(status == "all" ? "" : status + " ")lots") }
            for lot in lots { Terminal.line(Self.describe(lot)) }
        }
    }

    /// `#3  Teapot  12.50  running  2 bids, bob leads  ends 2026-12-01T14:00:00Z`
    static func describe(_ lot: Lot) -> String {
        let bids = lot.bid_count == 1 ? "1 bid" : "\(lot.bid_count) bids"
        let leader = lot.highest_bidder.map { ", \($0) leads" } ?? ""
        let state = Terminal.styled(lot.status, lot.status == "running" ? .green : .dim)
        var text = "\(Terminal.styled("#\(lot.id)", .bold))  \(lot.title)  \(Terminal.styled(money(lot.highest_price), .cyan))"
        text += "  \(state)  \(bids)\(leader)"
        if let ends = lot.ends_at { text += "  ends \(ends)" }
        return text
    }
}

/// `auction-client bid LOT AMOUNT`: places your bid, or raises it with `--raise`.
struct Bid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bid on a lot (--raise to raise your bid).")

    @Argument(help: "The lot.") var lotID: Int64
    @Argument(help: "The amount, e.g. 12.50.") var amount: String
    @Flag(help: "Raise your existing bid (PATCH) instead of placing a first one.") var raise = false
    @OptionGroup var server: ServerOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard lotID > 0 else { throw ValidationError("the lot must be a positive integer") }
    }

    func run() async throws {
        let store = TokenStore()
        guard let token = store.token(for: server.httpBase) else {
            Terminal.note("not logged in to \(server.httpBase): run auction-client login USERNAME, or set AUCTION_TOKEN")
            throw ExitCode.failure
        }
        try await reportingFailures {
            let body = try await APIClient(base: server.httpBase, token: token)
                .send(raise ? .PATCH : .POST, "/lots/\(lotID)/bids", form: [("amount", amount)])
            if output.json { return printJSON(body) }
            struct Placed: Decodable { let id: Int64; let amount: Double }
            let bid = try JSONDecoder().decode(Placed.self, from: body)
            Terminal.line("bid \(Terminal.styled(money(bid.amount), .cyan)) on lot \(lotID) \(Terminal.styled("accepted", .green)) (bid #\(bid.id))")
        }
    }
}
