import Foundation

/// A Dockerfile read into its stages: enough to check what each stage is built
/// from and what the run stage installs.
struct Dockerfile {
    struct Stage {
        var from: String
        var instructions: [String] = []

        /// The packages of every `apt-get install` in the stage.
        var aptPackages: Set<String> {
            var packages = Set<String>()
            for instruction in instructions where instruction.hasPrefix("RUN ") {
                for command in instruction.components(separatedBy: "&&") {
                    let words = command.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
                    guard let install = words.firstIndex(of: "install"), words[..<install].contains("apt-get") else { continue }
                    packages.formUnion(words[(install + 1)...].filter { !$0.hasPrefix("-") })
                }
            }
            return packages
        }
    }

    let stages: [Stage]

    init(_ text: String) throws {
        var stages: [Stage] = []
        // Continuation lines joined, comments dropped.
        let joined = text.replacingOccurrences(of: "\\\n", with: " ")
        for line in joined.split(separator: "\n").map({ $0.trimmingCharacters(in: .whitespaces) })
        where !line.isEmpty && !line.hasPrefix("#") {
            if line.hasPrefix("FROM ") {
                let image = line.dropFirst(5).split(separator: " ").first.map(String.init) ?? ""
                stages.append(Stage(from: image))
            } else if !stages.isEmpty {
                stages[stages.count - 1].instructions.append(line)
            } else {
                throw Failure("an instruction before the first FROM: \(line)")
            }
        }
        self.stages = stages
    }
}

/// The Debian packages that provide the shared libraries an executable links,
/// leaving out the Swift toolchain's own (linked statically into the image's
/// binary) but following their system dependencies (libcurl for
/// FoundationNetworking, say).
enum LinkedPackages {
    /// What debian:bookworm-slim already has.
    static let inSlimImage: Set<String> = ["libc6", "libgcc-s1", "libstdc++6", "zlib1g"]

    static func of(_ executable: URL) throws -> Set<String> {
        var packages = Set<String>()
        var seen = Set<String>()
        var pending = [executable.path]
        while let path = pending.popLast() {
            for library in try resolvedLibraries(of: path) where seen.insert(library).inserted {
                if library.hasPrefix(toolchainPrefix) {
                    pending.append(library)
                } else {
                    packages.insert(try owningPackage(of: library))
                }
            }
        }
        return packages
    }

    /// Where the toolchain's libraries live (`swift` is `<toolchain>/usr/bin/swift`).
    private static var toolchainPrefix: String {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
        for directory in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(directory)/swift") {
            return URL(fileURLWithPath: String(directory)).resolvingSymlinksInPath()
                .deletingLastPathComponent().deletingLastPathComponent().path
        }
        return "/opt/swift"
    }

    /// The direct dependencies (DT_NEEDED) of a binary, resolved to paths by ldd.
    private static func resolvedLibraries(of path: String) throws -> [String] {
        let readelf = try run(URL(fileURLWithPath: "/usr/bin/readelf"), ["-d", path])
        let needed = Set(readelf.output.split(separator: "\n").compactMap { line -> String? in
            guard line.contains("(NEEDED)"), let open = line.firstIndex(of: "["), let close = line.lastIndex(of: "]") else { return nil }
            return String(line[line.index(after: open)..<close])
        })
        let ldd = try run(URL(fileURLWithPath: "/usr/bin/ldd"), [path])
        return ldd.output.split(separator: "\n").compactMap { line in
            let parts = line.split(separator: " ").map(String.init)
            guard parts.count >= 3, parts[1] == "=>", needed.contains(parts[0].trimmingCharacters(in: .whitespaces)) else { return nil }
            return parts[2]
        }
    }

    private static func owningPackage(of library: String) throws -> String {
        let real = URL(fileURLWithPath: library).resolvingSymlinksInPath().path
        for candidate in [library, real] {
            let answer = try run(URL(fileURLWithPath: "/usr/bin/dpkg"), ["-S", candidate])
            if answer.status == 0, let package = answer.output.split(separator: ":").first {
                return String(package)
            }
        }
        throw Failure("no Debian package owns \(library)")
    }
}
