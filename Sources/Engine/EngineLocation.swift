import Support
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where an engine answers, for the engine tests and scripts: `DOCKER_HOST` when set (as every command reads it),
/// else the default socket, else the private engine `scripts/engine.sh up` starts.
package enum EngineLocation {
    /// The default socket of Docker's daemon.
    package static let defaultSocket = "/var/run/docker.sock"

    /// The socket of `scripts/engine.sh`'s private engine (under `DOCKERKIT_ENGINE_DIR`, default /tmp/dockerkit-engine).
    package static func privateEngineSocket(environment: [String: String]) -> String {
        (environment["DOCKERKIT_ENGINE_DIR"] ?? "/tmp/dockerkit-engine") + "/docker.sock"
    }

    /// The `DOCKER_HOST` to use: the one set, else the first of the two sockets that is a socket; nil when neither is.
    package static func dockerHost(environment: [String: String]) -> String? {
        if let host = environment["DOCKER_HOST"], !host.isEmpty { return host }
        for path in [defaultSocket, privateEngineSocket(environment: environment)] {
            var status = stat()
            if stat(path, &status) == 0, status.st_mode & S_IFMT == S_IFSOCK { return "unix://" + path }
        }
        return nil
    }

    /// For a test process: finds the engine, sets `DOCKER_HOST` for this process and its children when it was not
    /// set, and returns the client the build rule chooses, when that engine answers; nil otherwise.
    package static func prepareForTests() -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let host = dockerHost(environment: environment) else { return nil }
        if environment["DOCKER_HOST"] == nil { setenv("DOCKER_HOST", host, 1) }
        var withHost = environment
        withHost["DOCKER_HOST"] = host
        guard let builder = try? EngineBuilder.choose(engine: nil, environment: withHost) else { return nil }
        return builder.client.resolvedPath(environment: withHost)
    }

    /// Whether the engine has the image (the engine tests build on `local/debian:12`).
    package static func hasImage(_ reference: String, client: String?) -> Bool {
        guard let client else { return false }
        return (try? ChildProcess.run(client, arguments: ["image", "inspect", reference]).status) == 0
    }

    /// Why the engine tests that build on it are skipped when the engine lacks `local/debian:12`.
    package static let missingDebianReason = "the engine has no local/debian:12: bash scripts/engine.sh debian-base makes it (.ci/run does)"

    /// Why the engine tests are skipped when `prepareForTests` found none.
    package static let missingReason = "no engine answers at DOCKER_HOST, the default socket or scripts/engine.sh's private engine; start one with: eval \"$(bash scripts/engine.sh up)\" (.ci/run does)"
}
