import Foundation

/// The process's CPU time, resident memory and open files, read from /proc at each
/// scrape, under the standard Prometheus `process_*` names.
struct ProcessFigures {
    var cpuSeconds: Double?
    var residentBytes: Int?
    var openFiles: Int?

    static func read() -> ProcessFigures {
        ProcessFigures(cpuSeconds: cpuSeconds(), residentBytes: residentBytes(), openFiles: openFiles())
    }

    /// utime + stime of /proc/self/stat, counted after the command name's ")" (it may hold spaces).
    private static func cpuSeconds() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
              let nameEnd = stat.lastIndex(of: ")")
        else { return nil }
        let fields = stat[stat.index(after: nameEnd)...].split(separator: " ")
        // fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// The second figure of /proc/self/statm, in pages.
    private static func residentBytes() -> Int? {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let pages = statm.split(separator: " ")
        guard pages.count > 1, let resident = Int(pages[1]) else { return nil }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func openFiles() -> Int? {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")).map(\.count)
    }

    var exposition: String {
        var text = ""
        func add(_ name: String, _ type: String, _ help: String, _ value: String?) {
            guard let value else { return }
            text += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n\(name) \(value)\n"
        }
        add("process_cpu_seconds_total", "counter", "User and system CPU time spent, in seconds", cpuSeconds.map { String($0) })
        add("process_resident_memory_bytes", "gauge", "Resident memory size in bytes", residentBytes.map { String($0) })
        add("process_open_fds", "gauge", "Open file descriptors", openFiles.map { String($0) })
        return text
    }
}
