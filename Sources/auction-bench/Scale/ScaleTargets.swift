import Foundation

/// The issue's scale targets, checked against each run.
enum ScaleTargets {
    static func check(_ result: ScaleResult, connectWithin: Double?, p99Within: Double?) -> [TargetCheck] {
        let name = result.scenario
        var checks = [
            TargetCheck(
                name: "\(name): sockets that had every event", target: "\(result.sockets)",
                value: "\(result.delivered)", met: result.delivered == result.sockets),
            TargetCheck(
                name: "\(name): events missed / duplicated", target: "0 / 0",
                value: "\(result.missed) / \(result.duplicated)", met: result.missed + result.duplicated == 0),
        ]
        if let connectWithin {
            checks.append(TargetCheck(
                name: "\(name): all connected", target: String(format: "<= %.0f s", connectWithin),
                value: String(format: "%.1f s (%d of %d)", result.connectSeconds, result.connected, result.sockets),
                met: result.connected == result.sockets && result.connectSeconds <= connectWithin))
        }
        if let p99Within {
            checks.append(TargetCheck(
                name: "\(name): p99 from the bid sent", target: String(format: "<= %.0f ms", p99Within * 1000),
                value: String(format: "%.0f ms", result.latencyFromSent.p99),
                met: result.latencyFromSent.count > 0 && result.latencyFromSent.p99 <= p99Within * 1000))
        }
        if let perSocket = result.kibPerSocket {
            checks.append(TargetCheck(
                name: "\(name): server memory per idle socket", target: "<= 8 KiB",
                value: String(format: "%.1f KiB", perSocket), met: perSocket <= 8))
        }
        if let seconds = result.resumeSeconds {
            checks.append(TargetCheck(
                name: "\(name): all resumed", target: "<= 10 s", value: String(format: "%.1f s", seconds),
                met: seconds <= 10 && result.delivered == result.sockets))
        }
        if let reads = result.storeEventReads, let allowed = result.allowedEventReads {
            checks.append(TargetCheck(
                name: "\(name): store event-page reads", target: "<= \(allowed) (1 per lot per replay window)",
                value: "\(reads) for \(result.sockets) sockets", met: reads <= allowed))
        }
        return checks
    }

    /// The most event-page reads a mass reconnect may make: one per lot per
    /// replay window, a window opening when the log outgrows the kept page
    /// (each event committed during the reconnect) or when it expires.
    static func allowedReads(lots: Int, eventsDuring: Int, seconds: Double, window: Double) -> Int {
        lots * (1 + eventsDuring) * max(1, Int((seconds / window).rounded(.up)))
    }
}

enum ScaleTable {
    static func render(_ report: ScaleReport) -> String {
        var table = TextTable(header: ["scenario", "sockets", "connected", "connect s", "had it", "p50 ms", "p99 ms", "KiB/socket"])
        for result in report.results {
            table.add([
                result.scenario, "\(result.sockets)", "\(result.connected)", String(format: "%.1f", result.connectSeconds),
                "\(result.delivered)", String(format: "%.0f", result.latencyFromSent.p50),
                String(format: "%.0f", result.latencyFromSent.p99), result.kibPerSocket.map { String(format: "%.1f", $0) } ?? "",
            ])
        }
        var lines = ["auction-bench --mode scale \(report.startedAt); \(report.build) build", table.render()]
        for target in report.targets {
            lines.append("  \(target.met ? "met   " : "MISSED"): \(target.name): \(target.value) (target \(target.target))")
        }
        for failure in report.failures { lines.append("  FAILED: \(failure)") }
        return lines.joined(separator: "\n")
    }
}
