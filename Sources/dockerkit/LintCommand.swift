import DockerfileSyntax
import FoundationEssentials
import Lint
import Support

/// `dockerkit lint`, and hadolint's command line when the binary is called `hadolint` (a symlink): the same
/// flags, `HADOLINT_*` variables and config files, hadolint's rules and report formats.
enum LintCommand {
    static let valueOptions: [String] = ["--format", "--failure-threshold", "--ignore", "--config", "--mirror", "--enable", "--max-input-size",
                               "--error", "--warning", "--info", "--style", "--trusted-registry", "--require-label", "--file-path-in-report", "--output",
                               "--target", "--baseline", "--write-baseline"]
    static let flagOptions: [String] = ["--no-config", "--fix", "--unsafe-fixes", "--diff", "--report-unused-ignores", "--no-color", "--no-fail", "--shellcheck", "--help",
                              "--strict-labels", "--disable-ignore-pragma", "--verbose", "--version"]
    /// hadolint's short flags, by the long ones they stand for.
    static let shortFlags = ["-f": "--format", "-c": "--config", "-t": "--failure-threshold", "-o": "--output", "-v": "--version", "-V": "--verbose", "-h": "--help"]
    static let usage = """
        usage: dockerkit lint [FILES|DIRS|-] [--format tty|json|sarif|checkstyle|gnu|github|codeclimate|gitlab_codeclimate|codacy|sonarqube|junit]
                              [--failure-threshold error|warning|info|style|none] [--ignore CODE]... [--enable CODE]...
                              [--error|--warning|--info|--style CODE]... [--trusted-registry REGISTRY]...
                              [--require-label LABEL:FORMAT]... [--strict-labels] [--disable-ignore-pragma]
                              [--config FILE | --no-config] [--mirror NAME] [--report-unused-ignores] [--shellcheck]
                              [--fix [--unsafe-fixes] [--diff]] [--file-path-in-report PATH] [--output FILE] [--no-fail] [--no-color]
                              [--max-input-size SIZE]   (each file or standard input; default 64M)
                              [--target STAGE]   (only the stages a build of STAGE reaches: FROM, COPY --from, RUN --mount from=)
                              [--baseline FILE] [--write-baseline FILE]   (findings already in FILE are not reported)
        hadolint's short flags work too (-f, -c, -t, -o), and so do its HADOLINT_* variables (HADOLINT_FORMAT,
        HADOLINT_FAILURE_THRESHOLD, HADOLINT_IGNORE, HADOLINT_OVERRIDE_ERROR, …, HADOLINT_TRUSTED_REGISTRIES,
        HADOLINT_REQUIRE_LABELS, HADOLINT_STRICT_LABELS, HADOLINT_DISABLE_IGNORE_PRAGMA, HADOLINT_NOFAIL).
        Called as `hadolint` (a symlink to dockerkit), it behaves as hadolint: its rules, its formats, its exit codes.
        """

    static let hadolintUsage = """
        hadolint - Dockerfile Linter (dockerkit, compatible with hadolint 2.15.1)

        Usage: hadolint [-v|--version] [-c|--config FILENAME] [DOCKERFILE...] [--file-path-in-report FILEPATHINREPORT]
                        [-o|--output OUTPUT] [--no-fail] [--no-color] [-V|--verbose] [-f|--format ARG]
                        [--error RULECODE] [--warning RULECODE] [--info RULECODE] [--style RULECODE] [--ignore RULECODE]
                        [--trusted-registry REGISTRY] [--require-label LABELSCHEMA] [--strict-labels]
                        [--disable-ignore-pragma] [-t|--failure-threshold THRESHOLD]
        """

    /// Who is asking: `dockerkit lint`, or a program that called the binary `hadolint`.
    enum Mode {
        case dockerkit, hadolint
    }

    /// The variables lint reads: hadolint's settings, colour, the configuration folders, and PATH (for shellcheck).
    static func lintEnvironment() -> [String: String] {
        var pairs: [(String, String)] = []
        forEachEnvironmentVariable(named: ["NO_COLOR", "TERM", "HOME", "XDG_CONFIG_HOME", "PATH"], prefixedBy: ["HADOLINT_"]) { name, value in
            pairs.append((name, value))
        }
        // A name set twice in `environ` takes its last value. Made in one call: a dictionary grown entry by entry
        // goes through a path of the standard library that names its storage type by mangled name, and decoding
        // that name the first time took a sixth of a one-file lint's instructions.
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    static func run(_ arguments: [String], mode: Mode = .dockerkit, environment: [String: String] = lintEnvironment()) throws(CommandFailure) -> Int32 {
        let name = mode == .hadolint ? "hadolint" : "dockerkit lint"
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                arguments.map { shortFlags[$0] ?? $0 },
                valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "\(name): \(error.message)\n\(mode == .hadolint ? hadolintUsage : usage)")
        }
        if options.has("--help") {
            StandardStreams.write((mode == .hadolint ? hadolintUsage : usage) + "\n")
            return 0
        }
        if options.has("--version") {
            StandardStreams.write(mode == .hadolint ? "Haskell Dockerfile Linter 2.15.1 (\(dockerkitVersionLine))\n" : dockerkitVersionLine + "\n")
            return 0
        }
        var configuration = try settings(options, mode: mode, environment: environment, name: name)
        let shellCheckRunner = try shellCheckRunner(mode: mode, configuration: &configuration)
        let format = try LintOutput.Format(options.value("--format") ?? environment["HADOLINT_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "tty", mode: mode)
        let (paths, sources) = try inputs(options, mode: mode)
        if let target = options.value("--target") { try select(target, in: paths, sources: sources, configuration: &configuration) }
        let rules = mode == .hadolint ? RuleRegistry.all.filter { $0.description.origin == .hadolint } : RuleRegistry.all
        let linter = Linter(rules: rules, shellCheckRunner: shellCheckRunner)
        var baseline = try LintOutput.baseline(options, configuration: configuration, name: name)
        if options.has("--fix"), case .dockerkit(let reportFormat) = format {
            return LintOutput.fix(paths: paths, sources: sources, configuration: configuration, linter: linter, diffOnly: options.has("--diff"),
                                  format: reportFormat, includingUnsafe: options.has("--unsafe-fixes"), baseline: baseline)
        }
        var results = LintSession.lint(paths: paths, sources: sources, configuration: configuration, linter: linter)
        if let path = options.value("--write-baseline") { baseline = try LintOutput.writeBaseline(results, to: path, name: name) }
        if let baseline { results = baseline.filtering(results, workingDirectory: FileManager.default.currentDirectoryPath) }
        try LintOutput.report(results, format: format, options: options, environment: environment, name: name)
        if format.alwaysSucceeds { return 0 }
        return configuration.fails(results) ? 1 : 0
    }

    /// The files to lint and their bytes, each within `--max-input-size`.
    static func inputs(_ options: CommandLineArguments, mode: Mode) throws(CommandFailure) -> ([String], [[UInt8]]) {
        if mode == .hadolint && options.positional.isEmpty {
            throw CommandFailure(message: "Please provide a Dockerfile\n\(hadolintUsage)")
        }
        do {
            let paths = try FileDiscovery.expand(options.positional.isEmpty ? [StandardStreams.inputHoldsAFile ? "-" : "Dockerfile"] : options.positional)
            if paths.count > 1 { prefetch(paths) }
            let limit = try options.value("--max-input-size").map { (size: String) throws(UsageError) in try parseByteSize(size, option: "--max-input-size") } ?? defaultInputLimit
            var sources: [[UInt8]] = []
            for path in paths { sources.append(try readDockerfile(path, limit: limit)) }
            return (paths, sources)
        } catch {
            throw CommandFailure(message: "dockerkit: error: \(error.message)")
        }
    }

    /// `--target STAGE`: lint only what a build of that stage reaches; every file must have the stage.
    static func select(_ target: String, in paths: [String], sources: [[UInt8]], configuration: inout LintConfiguration) throws(CommandFailure) {
        configuration.target = target
        for (path, source) in zip(paths, sources) {
            let file = LintedFile(path: path, tree: DockerfileParser.parse(source), configuration: configuration)
            guard file.stage(named: target) != nil else {
                let names = file.stages.map { $0.name ?? String($0.index) }
                throw CommandFailure(message: "\(path): error: no stage named \(target.escapingControlCharacters()) (stages: \(names.joined(separator: ", ")))")
            }
        }
    }
}
