import Foundation

/// Files of this repository (the deployment files the tests check and run).
enum RepositoryFiles {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// An executable on the PATH (nginx, docker-compose), or a failure saying what
    /// to install: in CI every tool is installed by scripts/test, so nothing skips.
    static func tool(_ name: String, from package: String) throws -> URL {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":").map(String.init) + ["/usr/sbin", "/sbin"] {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw Failure("\(name) is not installed: scripts/test installs it (Debian package \(package))")
    }
}
