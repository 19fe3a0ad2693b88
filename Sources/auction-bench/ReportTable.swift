import Foundation

/// The report as one table: each server figure beside the database limit of the
/// same run and their ratio, and the issue's target with whether it was met.
enum ReportTable {
    static func render(_ report: BenchReport) -> String {
        var table = TextTable(header: ["scenario", "metric", "server", "db limit", "ratio", "target"])
        if let run = report.hotLot { addBidRun(run, limit: report.databaseLimitHotLot, to: &table) }
        if let run = report.manyLots { addBidRun(run, limit: report.databaseLimitManyLots, to: &table) }
        if let run = report.proxyBids { addBidRun(run, limit: report.databaseLimitProxyBids, to: &table) }
        for limit in [report.databaseLimitHotLot, report.databaseLimitManyLots].compactMap({ $0 })
        where !hasServerRun(report, for: limit) {
            addLimitOnly(limit, to: &table)
        }
        if report.proxyBids == nil, let limit = report.databaseLimitProxyBids { addLimitOnly(limit, to: &table) }
        if let fanout = report.fanout { addFanout(fanout, to: &table) }

        let config = report.configuration
        var lines = [
            "auction-bench \(report.startedAt): \(config.backends.label); \(config.build) build"
                + (config.postgresDurability.map { "; postgres \($0)" } ?? "")
                + (config.serverURL.map { "; server \($0)" } ?? ""),
            table.render(),
        ]
        let met = report.targets.filter(\.met).count
        lines.append("targets met: \(met) of \(report.targets.count)")
        for target in report.targets where !target.met {
            lines.append("  MISSED: \(target.name): \(target.value) (target \(target.target))")
        }
        for failure in report.failures { lines.append("  FAILED: \(failure)") }
        return lines.joined(separator: "\n")
    }

    private static func hasServerRun(_ report: BenchReport, for limit: DatabaseLimitResult) -> Bool {
        limit.lots == 1 ? report.hotLot != nil : report.manyLots != nil
    }

    private static func addBidRun(_ run: BidRunResult, limit: DatabaseLimitResult?, to table: inout TextTable) {
        let name = "\(run.scenario), \(run.bidders) bidders"
        // The issue's targets are the hot lot's (the proxy-bid run is one lot too).
        let hot = run.scenario == "hot lot"
        table.add([
            name, "bids/s attempted", number(run.attemptedPerSecond), limit.map { number($0.attemptedPerSecond) } ?? "",
            ratio(run.attemptedPerSecond, limit?.attemptedPerSecond), "",
        ])
        table.add([
            name, "bids/s accepted", number(run.acceptedPerSecond), limit.map { number($0.acceptedPerSecond) } ?? "",
            ratio(run.acceptedPerSecond, limit?.acceptedPerSecond), hot ? ">= 50% of limit" : "",
        ])
        table.add([
            name, "bid latency p50/p99/max ms", triple(run.bidLatency), limit.map { triple($0.bidLatency) } ?? "", "",
            hot ? "p99 <= 20 ms (sqlite), <= 50 ms (postgres)" : "",
        ])
        table.add([
            name, "event latency p50/p99 ms", "\(ms(run.eventLatency.p50)) / \(ms(run.eventLatency.p99))", "", "", "",
        ])
        if run.eventsOvertookResponse > 0 {
            table.add([name, "events ahead of their response (as 0 ms)", "\(run.eventsOvertookResponse)", "", "", ""])
        }
        table.add([
            name, "events missed / duplicated", "\(run.missed) / \(run.duplicated)", "", "", "0 / 0",
        ])
        table.add([
            name, "rule violations", "\(run.violations + run.logGaps + run.acknowledgedNotLogged)",
            limit.map { "\($0.violations)" } ?? "", "", "0",
        ])
        if run.outOfOrder > 0 { table.add([name, "events out of order", "\(run.outOfOrder)", "", "", "0"]) }
        if run.errors > 0 || (limit?.errors ?? 0) > 0 {
            table.add([name, "errors", "\(run.errors)", limit.map { "\($0.errors)" } ?? "", "", "0"])
        }
        if let server = run.server {
            table.add([name, "server peak RSS MiB", number(server.peakRSSMiB), "", "", ""])
            let share = 100 * server.cpuSecondsTimed / max(run.seconds, 0.001)
            table.add([
                name, "server CPU s (timed part)",
                String(format: "%.2f (%.0f%% of a core)", server.cpuSecondsTimed, share), "", "", "",
            ])
        }
        if let perCore = run.perServerCore {
            table.add([
                name, "bids/s per server core attempted/accepted",
                "\(number(perCore.attempted)) / \(number(perCore.accepted))", "", "", "",
            ])
        }
        table.separator()
    }

    private static func addLimitOnly(_ limit: DatabaseLimitResult, to table: inout TextTable) {
        let name = "\(limit.scenario), \(limit.workers) workers"
        table.add([name, "bids/s attempted", "", number(limit.attemptedPerSecond), "", ""])
        table.add([name, "bids/s accepted", "", number(limit.acceptedPerSecond), "", ""])
        table.add([name, "bid latency p50/p99/max ms", "", triple(limit.bidLatency), "", ""])
        table.add([name, "rule violations", "", "\(limit.violations)", "", "0"])
        table.separator()
    }

    private static func addFanout(_ fanout: FanoutResult, to table: inout TextTable) {
        let name = "fan-out, \(fanout.subscribers) subscribers"
        table.add([
            name, "connected (in s)", "\(fanout.connected) (\(String(format: "%.1f", fanout.connectSeconds)))", "", "",
            "\(fanout.subscribers)",
        ])
        table.add([name, "had the event", "\(fanout.delivered)", "", "", "\(fanout.subscribers)"])
        table.add([name, "delivery p50/p99/max ms", triple(fanout.latency), "", "", "p99 <= 250 ms"])
        table.add([name, "events ahead of the response (as 0 ms)", "\(fanout.eventsOvertookResponse)", "", "", ""])
        table.add([name, "delivery from bid sent p50/p99/max ms", triple(fanout.latencyFromSent), "", "", ""])
        table.add([name, "events missed / duplicated", "\(fanout.missed) / \(fanout.duplicated)", "", "", "0 / 0"])
        if let perSocket = fanout.kibPerSocket {
            table.add([name, "server KiB per idle socket", String(format: "%.1f", perSocket), "", "", "<= 16 KiB"])
        }
        if let server = fanout.server {
            table.add([name, "server peak RSS MiB", number(server.peakRSSMiB), "", "", ""])
        }
        table.separator()
    }

    static func number(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.1f", value)
    }

    static func ms(_ value: Double) -> String {
        value >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }

    static func triple(_ summary: LatencySummary) -> String {
        "\(ms(summary.p50)) / \(ms(summary.p99)) / \(ms(summary.max))"
    }

    static func ratio(_ value: Double, _ limit: Double?) -> String {
        guard let limit, limit > 0 else { return "" }
        return String(format: "%.0f%%", 100 * value / limit)
    }
}
