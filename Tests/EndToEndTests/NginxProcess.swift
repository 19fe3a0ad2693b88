import Foundation
import TestSupport

/// Debian's nginx on a reserved loopback port (`LocalSocket.Reserved`: no other
/// process can take it before nginx binds it), running the repository's own
/// `deploy/nginx/auction.conf` with the compose service addresses swapped for the
/// test's processes (and, optionally, a shorter proxy read timeout).
final class NginxProcess: HTTPEndpoint, @unchecked Sendable {
    let port: Int
    let directory: URL
    private let reservation: LocalSocket.Reserved
    private let child: ChildProcess
    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }
    var socketBase: String { "ws://127.0.0.1:\(port)" }

    /// - Parameter bindAddress: the loopback address nginx connects to the servers
    ///   from (`proxy_bind`), so that they can tell it from a client on 127.0.0.1.
    init(api: [Int], gateway: Int, readTimeoutSeconds: Int? = nil, bindAddress: String? = nil) throws {
        reservation = try LocalSocket.Reserved()
        port = reservation.port
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("nginx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let site = try Self.render(
            try RepositoryFiles.text("deploy/nginx/auction.conf"), port: port, api: api, gateway: gateway,
            readTimeoutSeconds: readTimeoutSeconds, bindAddress: bindAddress)
        try site.write(to: directory.appendingPathComponent("auction.conf"), atomically: true, encoding: .utf8)
        let main = """
            daemon off;
            worker_processes 1;
            pid \(directory.path)/nginx.pid;
            error_log \(directory.path)/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log \(directory.path)/access.log;
                client_body_temp_path \(directory.path)/body;
                proxy_temp_path \(directory.path)/proxy;
                fastcgi_temp_path \(directory.path)/fastcgi;
                uwsgi_temp_path \(directory.path)/uwsgi;
                scgi_temp_path \(directory.path)/scgi;
                include \(directory.path)/auction.conf;
            }
            """
        try main.write(to: directory.appendingPathComponent("nginx.conf"), atomically: true, encoding: .utf8)
        child = ChildProcess(
            try RepositoryFiles.tool("nginx", from: "nginx"),
            arguments: ["-p", directory.path, "-c", directory.appendingPathComponent("nginx.conf").path,
                        "-e", directory.appendingPathComponent("error.log").path])
    }

    /// The site file with the compose addresses replaced; fails when a line it
    /// replaces is gone, so the test never runs a config other than the repo's.
    static func render(
        _ text: String, port: Int, api: [Int], gateway: Int, readTimeoutSeconds: Int?, bindAddress: String? = nil
    ) throws -> String {
        var result = text
        func replace(_ old: String, _ new: String) throws {
            guard result.contains(old) else { throw Failure("deploy/nginx/auction.conf has no `\(old)`") }
            result = result.replacingOccurrences(of: old, with: new)
        }
        try replace("server api1:8000;", "server 127.0.0.1:\(api[0]);")
        try replace("server api2:8000;", "server 127.0.0.1:\(api[1]);")
        try replace("server gateway:8000;", "server 127.0.0.1:\(gateway);")
        try replace("listen 80;", "listen 127.0.0.1:\(port);")
        if let readTimeoutSeconds { try replace("proxy_read_timeout 75s;", "proxy_read_timeout \(readTimeoutSeconds)s;") }
        if let bindAddress { try replace("proxy_http_version 1.1;", "proxy_http_version 1.1;\n    proxy_bind \(bindAddress);") }
        return result
    }

    /// Starts nginx and waits (bounded) until it answers on its port.
    func start() async throws {
        try child.start()
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            if !child.process.isRunning {
                let log = (try? String(contentsOf: directory.appendingPathComponent("error.log"), encoding: .utf8)) ?? ""
                throw Failure("nginx exited with \(child.process.terminationStatus): \(child.errorOutput()) \(log)")
            }
            if LocalSocket.accepts(port: port) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure("nginx on port \(port) did not listen within 30 s")
    }

    func stop() {
        child.stop()
        try? FileManager.default.removeItem(at: directory)
    }
}
