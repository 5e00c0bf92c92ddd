import Support
import FoundationEssentials

/// The engine client a build runs with, and how: the one rule `build`, `reverse --build`, `lab up` and the tests
/// follow. A client named with `--engine` or `DOCKERKIT_ENGINE` is used as it is; otherwise the first `docker` on
/// PATH that can build with BuildKit (buildx present, or a client before 23 that builds with `DOCKER_BUILDKIT=1`);
/// otherwise the first client with the classic builder, and a note that says so.
package struct EngineBuilder: Sendable {
    package let client: EngineClient
    /// The client cannot build with BuildKit: builds use the classic builder.
    package let classic: Bool
    /// One line for the user when the choice is not the plain one (the classic builder, or a later client on PATH).
    package let note: String?

    /// Chooses the client; an engine that does not answer is reported first, before anything about builders.
    package static func choose(engine: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(InputError) -> EngineBuilder {
        let named = engine ?? environment["DOCKERKIT_ENGINE"].flatMap { $0.isEmpty ? nil : $0 }
        let candidates = named.map { FilePath.executable($0, environment: environment).map { [$0] } ?? [] } ?? FilePath.executables("docker", environment: environment)
        guard !candidates.isEmpty else {
            throw InputError(source: named ?? "docker", message: "the engine client '\(named ?? "docker")' was not found; install docker or podman, or name it with --engine or DOCKERKIT_ENGINE")
        }
        var probes: [(path: String, probe: ClientProbe)] = []
        for path in candidates {
            let probe = ClientProbe.run(path, environment: environment)
            if probes.isEmpty, let problem = probe.engineProblem { throw InputError(source: path, message: problem) }
            if probe.canUseBuildKit {
                let later = probes.first.map { "dockerkit: \($0.path) cannot build with BuildKit (no buildx); building with \(path), the next docker on PATH" }
                return EngineBuilder(client: EngineClient(executable: named ?? path, named: named != nil, environment: environment), classic: false, note: later)
            }
            probes.append((path, probe))
        }
        let path = candidates[0]
        return EngineBuilder(
            client: EngineClient(executable: named ?? path, named: named != nil, environment: environment), classic: true,
            note: "dockerkit: \(path) cannot build with BuildKit (no buildx plugin); building with the classic builder")
    }

    /// Runs the client's build (`arguments` start with `build`), the engine's output handed over as it comes.
    package func build(_ arguments: [String], output: ChildProcess.OutputHandling, errorOutput: ChildProcess.OutputHandling) throws(InputError) -> EngineClient.BuildOutcome {
        try client.build(arguments, classic: classic, output: output, errorOutput: errorOutput)
    }
}

/// What one `CLIENT version` call says: the client's major version, and whether the engine answered.
struct ClientProbe: Sendable {
    let isPodman: Bool
    let hasBuildx: Bool
    /// The client's major version (28 for 28.2.2), when it printed one.
    let major: Int?
    /// Why the engine cannot be used (not answering, permission denied), when it cannot.
    let engineProblem: String?

    /// A podman builds with buildah; a docker client before 23 has BuildKit built in; later ones need buildx.
    var canUseBuildKit: Bool {
        isPodman || hasBuildx || major.map { $0 < 23 } == true
    }

    static func run(_ path: String, environment: [String: String]) -> ClientProbe {
        let version: ChildProcess.Result?
        let errors: String
        do {
            let result = try ChildProcess.run(path, arguments: ["version", "--format", "{{.Client.Version}}"], environment: environment)
            version = result
            errors = String(decoding: result.errorOutput, as: UTF8.self)
        } catch {
            version = nil
            errors = "the client did not start (\(error.message))"
        }
        let text = version.map { String(decoding: $0.output, as: UTF8.self) }?.trimmingWhitespace() ?? ""
        let problem = version?.status == 0 ? nil : EngineClient.explain(errors, executable: path, image: nil).message
        let isPodman = FilePath.lastComponent(path).hasPrefix("podman") || errors.lowercased().contains("podman")
        let major = text.split(separator: ".").first.flatMap { Int($0) }
        // Only a client from 23 on needs buildx for BuildKit: asking the others would be a wasted process.
        let hasBuildx = !isPodman && (major ?? 0) >= 23
            && (try? ChildProcess.run(path, arguments: ["buildx", "version"], environment: environment).status) == 0
        return ClientProbe(isPodman: isPodman, hasBuildx: hasBuildx, major: major, engineProblem: problem)
    }
}
