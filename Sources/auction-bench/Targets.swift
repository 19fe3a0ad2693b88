import Foundation

/// The targets, checked against a report.
enum Targets {
    static func check(_ report: BenchReport) -> [TargetCheck] {
        var checks: [TargetCheck] = []
        if let hot = report.hotLot, let limit = report.databaseLimitHotLot, limit.acceptedPerSecond > 0 {
            let ratio = hot.acceptedPerSecond / limit.acceptedPerSecond
            checks.append(TargetCheck(
                name: "hot lot accepted bids/s vs database limit", target: ">= 50%",
                value: String(format: "%.0f%% (%.0f of %.0f)", 100 * ratio, hot.acceptedPerSecond, limit.acceptedPerSecond),
                met: ratio >= 0.5))
        }
        if let hot = report.hotLot, report.configuration.backends.storage == .sqlite {
            checks.append(TargetCheck(
                name: "hot lot p99 bid latency (sqlite, \(hot.bidders) bidders)", target: "<= 20 ms",
                value: String(format: "%.2f ms", hot.bidLatency.p99), met: hot.bidLatency.p99 <= 20))
        }
        if let hot = report.hotLot, report.configuration.backends.storage == .postgres {
            checks += postgresHotLot(hot, baseline: report.configuration.hotAcceptedBaseline)
        }
        for run in [report.hotLot, report.manyLots, report.proxyBids].compactMap({ $0 }) {
            let wrong = run.missed + run.duplicated + run.outOfOrder
            checks.append(TargetCheck(
                name: "\(run.scenario): events missed / duplicated / out of order", target: "0 / 0 / 0",
                value: "\(run.missed) / \(run.duplicated) / \(run.outOfOrder)", met: wrong == 0))
            let violations = run.violations + run.logGaps + run.acknowledgedNotLogged
            checks.append(TargetCheck(
                name: "\(run.scenario): rule violations", target: "0", value: "\(violations)", met: violations == 0))
        }
        for limit in [report.databaseLimitHotLot, report.databaseLimitManyLots, report.databaseLimitProxyBids]
            .compactMap({ $0 })
        {
            checks.append(TargetCheck(
                name: "\(limit.scenario): rule violations", target: "0", value: "\(limit.violations)",
                met: limit.violations == 0))
        }
        if let fanout = report.fanout {
            checks.append(TargetCheck(
                name: "fan-out: subscribers that had the event", target: "\(fanout.subscribers)",
                value: "\(fanout.delivered)", met: fanout.delivered == fanout.subscribers))
            checks.append(TargetCheck(
                name: "fan-out: p99 delivery", target: "<= 250 ms",
                value: String(format: "%.1f ms", fanout.latency.p99),
                met: fanout.latency.count > 0 && fanout.latency.p99 <= 250))
            checks.append(TargetCheck(
                name: "fan-out: events missed / duplicated", target: "0 / 0",
                value: "\(fanout.missed) / \(fanout.duplicated)", met: fanout.missed + fanout.duplicated == 0))
            if let perSocket = fanout.kibPerSocket {
                checks.append(TargetCheck(
                    name: "fan-out: server memory per idle socket", target: "<= 16 KiB",
                    value: String(format: "%.1f KiB", perSocket), met: perSocket <= 16))
            }
        }
        return checks
    }

    /// Issue 14's: bids answered through HTTP, accepted against the figure
    /// before the change (when `--hot-accepted-baseline` gives it), p99.
    static func postgresHotLot(_ hot: BidRunResult, baseline: Double?) -> [TargetCheck] {
        var checks = [
            TargetCheck(
                name: "hot lot bids/s answered (postgres, \(hot.bidders) bidders)", target: ">= 5000",
                value: String(format: "%.0f", hot.attemptedPerSecond), met: hot.attemptedPerSecond >= 5000),
            TargetCheck(
                name: "hot lot p99 bid latency (postgres, \(hot.bidders) bidders)", target: "<= 50 ms",
                value: String(format: "%.2f ms", hot.bidLatency.p99), met: hot.bidLatency.p99 <= 50),
        ]
        if let baseline, baseline > 0 {
            checks.append(TargetCheck(
                name: "hot lot accepted bids/s vs before (postgres)", target: ">= 1.5x",
                value: String(format: "%.2fx (%.0f of %.0f)", hot.acceptedPerSecond / baseline, hot.acceptedPerSecond, baseline),
                met: hot.acceptedPerSecond >= 1.5 * baseline))
        }
        return checks
    }
}
