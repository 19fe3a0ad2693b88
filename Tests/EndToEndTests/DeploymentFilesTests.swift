import Foundation
import TestSupport
import Testing

/// The container and compose files, checked without a Docker engine: the compose
/// file by docker-compose itself, the Dockerfile by reading it against the binary.
@Suite("Deployment files", .serialized)
struct DeploymentFilesTests {
    @Test("docker-compose.yml is valid, starts the whole cluster, and has no usable default secret")
    func composeFile() async throws {
        let secrets = "JWT_SECRET_KEY=compose-test-secret-0123456789abcdef\nPOSTGRES_PASSWORD=pw\n"
        let config = try await offThePool { try Self.compose(env: secrets, ["config"]) }
        #expect(config.status == 0, "\(config.errors)")
        let services = Self.serviceBlocks(config.output)
        #expect(Set(services.keys) == ["postgres", "redis", "rabbitmq", "migrate", "api1", "api2", "gateway", "nginx"])
        // RabbitMQ only under its profile; the nodes in their roles; migrate once.
        #expect(services["rabbitmq"]?.contains("profiles:\n    - amqp") == true)
        for node in ["api1", "api2"] { #expect(services[node]?.contains("- --role\n    - api\n") == true) }
        #expect(services["gateway"]?.contains("- --role\n    - gateway\n") == true)
        #expect(services["migrate"]?.contains("command:\n    - migrate\n") == true)
        #expect(services["migrate"]?.contains("restart: \"no\"") == true)
        #expect(services["nginx"]?.contains("deploy/nginx/auction.conf:/etc/nginx/conf.d/default.conf:ro") == true)
        // The image carries no secret: each comes from the .env file.
        #expect(!(try RepositoryFiles.text("Dockerfile")).contains("JWT_SECRET_KEY"))

        for missing in ["JWT_SECRET_KEY", "POSTGRES_PASSWORD"] {
            let env = secrets.split(separator: "\n").filter { !$0.hasPrefix(missing) }.joined(separator: "\n")
            let refused = try await offThePool { try Self.compose(env: env, ["config", "-q"]) }
            #expect(refused.status != 0)
            #expect(refused.errors.contains(missing), "\(refused.errors)")
        }
        // .env.example names every variable the compose file requires, with no value.
        let example = try RepositoryFiles.text(".env.example")
        #expect(example.contains("\nJWT_SECRET_KEY=\n") && example.contains("\nPOSTGRES_PASSWORD=\n"))
    }

    @Test("the Dockerfile builds with Swift 6.3 and runs on slim Debian as a non-root user with a health check")
    func dockerfileStages() throws {
        let dockerfile = try Dockerfile(try RepositoryFiles.text("Dockerfile"))
        #expect(dockerfile.stages.count == 2)
        #expect(dockerfile.stages.first?.from.hasPrefix("swift:6.3") == true)
        let run = try #require(dockerfile.stages.last)
        #expect(run.from == "debian:bookworm-slim")
        #expect(run.instructions.contains { $0.hasPrefix("USER ") && !$0.hasPrefix("USER root") })
        #expect(run.instructions.contains { $0.hasPrefix("HEALTHCHECK ") && $0.contains("/healthz") })
        #expect(run.instructions.contains { $0.hasPrefix("COPY config ") })
        #expect(run.instructions.contains { $0.hasPrefix("COPY --from=build ") })
        #expect(!run.aptPackages.contains { $0.hasSuffix("-dev") }, "\(run.aptPackages)")
    }

    @Test("the run stage installs a package for every shared library the server links")
    func runtimePackages() async throws {
        let run = try #require(try Dockerfile(try RepositoryFiles.text("Dockerfile")).stages.last)
        let binary = try Executables.url("auction")
        let needed = try await offThePool { try LinkedPackages.of(binary) }
        #expect(!needed.isEmpty)
        let missing = needed.subtracting(run.aptPackages).subtracting(LinkedPackages.inSlimImage)
        #expect(missing.isEmpty, "the run stage lacks \(missing.sorted())")
    }

    /// The text of each service in `docker-compose config`'s normalized output.
    private static func serviceBlocks(_ output: String) -> [String: String] {
        var blocks: [String: String] = [:]
        var current: String?
        var inServices = false
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" ") { inServices = line == "services:"; current = nil; continue }
            guard inServices else { continue }
            if line.hasPrefix("  ") && !line.hasPrefix("   ") && line.hasSuffix(":") {
                current = String(line.dropFirst(2).dropLast())
                blocks[current!] = ""
            } else if let current {
                blocks[current, default: ""] += line + "\n"
            }
        }
        return blocks
    }

    private static func compose(env: String, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let envFile = FileManager.default.temporaryDirectory.appendingPathComponent("compose-\(UUID().uuidString).env")
        try env.write(to: envFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: envFile) }
        return try run(
            try RepositoryFiles.tool("docker-compose", from: "docker-compose"),
            ["--env-file", envFile.path, "--project-directory", RepositoryFiles.root.path,
             "-f", RepositoryFiles.root.appendingPathComponent("docker-compose.yml").path] + arguments)
    }
}

/// Runs a short command to its end and returns its status and output (blocking:
/// call it through `offThePool`).
func run(_ executable: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("run-\(UUID())")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let (outputFile, errorFile) = (folder.appendingPathComponent("out"), folder.appendingPathComponent("err"))
    let input = try ChildDescriptors.nullDevice()
    let (output, errors) = (try ChildDescriptors.writing(to: outputFile), try ChildDescriptors.writing(to: errorFile))
    let process: Spawned
    do {
        defer { close(input); close(output); close(errors) }
        process = try Spawned(executable, arguments, input: input, output: output, errors: errors)
    }
    process.waitUntilExit()
    let (out, err) = (try Data(contentsOf: outputFile), try Data(contentsOf: errorFile))
    return (process.terminationStatus, String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self))
}
