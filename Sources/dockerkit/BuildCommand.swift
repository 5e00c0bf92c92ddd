import Support
import DockerfileSyntax
import FoundationEssentials
import Engine
import ImageHistory
import Lint

/// `dockerkit build`: lint, then build with the engine (or a BuildKit builder through buildx), output streamed.
enum BuildCommand {
    static let valueOptions: [String] = ["--tag", "--file", "--engine", "--builder", "--build-arg", "--network"]
    static let flagOptions: [String] = ["--no-lint", "--no-cache", "--help"]
    static let usage = """
        usage: dockerkit build [-t TAG] [-f FILE] [CONTEXT] [--engine docker|podman|PATH] [--builder NAME]
                               [--build-arg K=V]... [--network MODE] [--no-cache] [--no-lint]
        Lints the Dockerfile first (errors stop the build unless --no-lint), then runs the engine's build.
        Exit status: 0 built, 1 lint errors stopped the build, 2 usage or input errors, 3 the engine failed or did not answer.
        --builder uses `docker buildx build --builder NAME --load`, so remote or Kubernetes BuildKit builders do the work.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(normalizeShortOptions(arguments),
                                               valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit build: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        guard options.positional.count <= 1 else { throw CommandFailure(message: "dockerkit build: error: one CONTEXT at most\n\(usage)") }
        let context = options.positional.first ?? "."
        let dockerfile = options.value("--file") ?? FilePath.appending("Dockerfile", to: context)
        if !options.has("--no-lint") {
            guard try lint(dockerfile) else { return 1 }
        }
        return try build(context: context, dockerfile: options.value("--file"), tags: options.values("--tag"), buildArguments: options.values("--build-arg"),
                         network: options.value("--network"), engine: options.value("--engine"), builder: options.value("--builder"),
                         noCache: options.has("--no-cache"))
    }

    /// `-t` and `-f` as docker spells them.
    static func normalizeShortOptions(_ arguments: [String]) -> [String] {
        arguments.map { ["-t": "--tag", "-f": "--file"][$0] ?? $0 }
    }

    /// Lints with the discovered configuration; error-level findings stop the build.
    /// Returns false when error-level findings stop the build (they are shown).
    static func lint(_ path: String) throws(CommandFailure) -> Bool {
        let source: [UInt8]
        do {
            source = try readDockerfile(path)
        } catch {
            throw CommandFailure(message: "dockerkit build: error: \(error.message)")
        }
        var configuration = LintConfiguration()
        try ConfigurationLoader.load(ConfigurationLoader.discover(), into: &configuration)
        let result = Linter(shellCheckRunner: ShellCheck.locate().map(shellCheck(at:))).lint(source: source, path: path, configuration: LintSession.configuration(configuration, forDockerfileAt: path))
        let errors = result.findings.filter { $0.severity >= .error }
        if !result.findings.isEmpty {
            StandardStreams.error(Reporter.render([result], format: .tty))
            StandardStreams.flush()
        }
        if !errors.isEmpty {
            StandardStreams.error("dockerkit build: \(errors.count) lint error\(errors.count == 1 ? "" : "s") in \(path); fix them or use --no-lint\n")
            return false
        }
        return true
    }

    /// Runs the engine's build with its output going straight to ours; returns the engine's exit status.
    static func build(context: String, dockerfile: String?, tags: [String], buildArguments: [String], network: String?, engine: String?,
                      builder: String?, noCache: Bool = false) throws(CommandFailure) -> Int32 {
        let engineBuilder: EngineBuilder
        do {
            engineBuilder = try EngineBuilder.choose(engine: engine)
        } catch {
            StandardStreams.error("dockerkit build: error: \(error.message)\n")
            return 3
        }
        if let note = engineBuilder.note, builder == nil { StandardStreams.error(note + "\n") }
        var arguments = builder.map { ["buildx", "build", "--builder", $0, "--load"] } ?? ["build"]
        for tag in tags { arguments += ["--tag", tag] }
        if let dockerfile { arguments += ["--file", dockerfile] }
        for argument in buildArguments { arguments += ["--build-arg", argument] }
        if let network { arguments += ["--network", network] }
        if noCache { arguments.append("--no-cache") }
        arguments.append(context)
        StandardStreams.flush()
        // The engine's progress goes on to our standard error as it comes.
        let outcome: EngineClient.BuildOutcome
        do {
            outcome = try engineBuilder.build(arguments, output: .inherit, errorOutput: .stream { chunk in chunk.withUnsafeBufferPointer { _ = writeAll($0, to: 2) } })
        } catch {
            StandardStreams.error("dockerkit build: error: \(error.message)\n")
            return 3
        }
        if outcome.lacksBuildx {
            StandardStreams.error("dockerkit build: error: \(engineBuilder.client.executable) cannot build with BuildKit (it has no buildx); install the buildx plugin\n")
        } else if outcome.unreachable {
            let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? "the default socket"
            StandardStreams.error("dockerkit build: error: no engine answers at \(host); start Docker (or set DOCKER_HOST)\n")
        }
        return outcome.status == 0 ? 0 : 3
    }
}
