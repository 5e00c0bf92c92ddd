import Support
import DockerfileSyntax
import Dispatch
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Knowledge
import Lint

/// `dockerkit lint`, and hadolint's command line when the binary is called `hadolint` (a symlink): the same
/// flags, `HADOLINT_*` variables and config files, hadolint's rules and report formats.
enum LintCommand {
    static let valueOptions: Set<String> = ["--format", "--failure-threshold", "--ignore", "--config", "--mirror", "--enable", "--max-input-size",
                               "--error", "--warning", "--info", "--style", "--trusted-registry", "--require-label", "--file-path-in-report", "--output",
                               "--target", "--baseline", "--write-baseline"]
    static let flagOptions: Set<String> = ["--no-config", "--fix", "--unsafe-fixes", "--diff", "--report-unused-ignores", "--no-color", "--no-fail", "--shellcheck", "--help",
                              "--strict-labels", "--disable-ignore-pragma", "--verbose", "--version"]
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

    static func run(_ arguments: [String], mode: Mode = .dockerkit, environment: [String: String] = ProcessInfo.processInfo.environment) throws(CommandFailure) -> Int32 {
        let name = mode == .hadolint ? "hadolint" : "dockerkit lint"
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                arguments.map { ["-f": "--format", "-c": "--config", "-t": "--failure-threshold", "-o": "--output", "-v": "--version", "-V": "--verbose", "-h": "--help"][$0] ?? $0 },
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
        // Settings, weakest first: config files, HADOLINT_* variables, flags.
        var configuration = LintConfiguration()
        if !options.has("--no-config") {
            let files = options.value("--config").map { [$0] } ?? ConfigurationLoader.discover(forHadolint: mode == .hadolint, environment: environment)
            try ConfigurationLoader.load(files, into: &configuration)
        }
        let formatName = options.value("--format") ?? environment["HADOLINT_FORMAT"].flatMap { $0.isEmpty ? nil : $0 } ?? "tty"
        try applyEnvironment(environment, to: &configuration, name: name)
        if let threshold = options.value("--failure-threshold") { try setThreshold(threshold, of: &configuration, name: name) }
        if mode == .hadolint, let threshold = options.value("--failure-threshold") ?? environment["HADOLINT_FAILURE_THRESHOLD"],
           threshold == "none" || threshold == "ignore" {
            // hadolint ranks `none`/`ignore` below style, so with it every finding fails the run.
            configuration.failureThreshold = .style
        }
        // hadolint: `--ignore` on the command line replaces the config file's list.
        let ignores = options.values("--ignore")
        if !ignores.isEmpty { configuration.ignored = Set(ignores) }
        configuration.enabledRules.formUnion(options.values("--enable"))
        for (flag, severity) in [("--error", Severity.error), ("--warning", .warning), ("--info", .info), ("--style", .style)] {
            for code in options.values(flag) { configuration.severityOverrides[code] = severity }
        }
        configuration.trustedRegistries += options.values("--trusted-registry")
        for schema in options.values("--require-label") { try addLabelSchema(schema, to: &configuration, name: name) }
        if options.has("--strict-labels") { configuration.strictLabels = true }
        if options.has("--disable-ignore-pragma") { configuration.disablesIgnorePragmas = true }
        if options.has("--report-unused-ignores") { configuration.reportUnusedIgnores = true }
        if options.has("--no-fail") { configuration.noFail = true }
        if options.has("--shellcheck") { configuration.runsShellCheck = true }
        var shellCheckRunner: ShellCheckRunner?
        if mode == .hadolint {
            // hadolint always runs ShellCheck over RUN scripts; so does this, when shellcheck is installed.
            if let executable = ShellCheck.locate() {
                configuration.runsShellCheck = true
                shellCheckRunner = shellCheck(at: executable)
            }
        } else if configuration.runsShellCheck {
            guard let executable = ShellCheck.locate() else {
                throw CommandFailure(message: "dockerkit lint: --shellcheck needs the shellcheck binary on PATH (Debian: apt-get install shellcheck)")
            }
            shellCheckRunner = shellCheck(at: executable)
        }
        if let mirror = options.value("--mirror") {
            let mirrorName = mirror.lowercased()
            guard mirrorName == "none" || MirrorCatalog.shared.mirror(named: mirrorName) != nil else {
                throw CommandFailure(message: "dockerkit lint: unknown mirror '\(mirror)'; choose \((MirrorCatalog.shared.names + ["none"]).joined(separator: ", "))")
            }
            configuration.mirror = mirrorName
        }
        let reportFormat: ReportFormat?
        let hadolintFormat: HadolintFormat?
        switch mode {
        case .dockerkit:
            reportFormat = ReportFormat(rawValue: formatName)
            hadolintFormat = nil
            guard reportFormat != nil else { throw CommandFailure(message: "dockerkit lint: unknown format '\(formatName)'\n\(usage)") }
        case .hadolint:
            reportFormat = nil
            hadolintFormat = HadolintFormat(rawValue: formatName)
            guard hadolintFormat != nil else {
                throw CommandFailure(message: "hadolint: unknown format '\(formatName)' (tty, json, checkstyle, codeclimate, gitlab_codeclimate, gnu, codacy, sonarqube, sarif, junit)")
            }
        }
        if mode == .hadolint && options.positional.isEmpty {
            throw CommandFailure(message: "Please provide a Dockerfile\n\(hadolintUsage)")
        }
        let paths: [String]
        do {
            paths = try FileDiscovery.expand(options.positional.isEmpty ? ["Dockerfile"] : options.positional)
        } catch {
            throw CommandFailure(message: "dockerkit: error: \(error.message)")
        }
        if paths.count > 1 { prefetch(paths) }
        var sources: [[UInt8]] = []
        do {
            let limit = try options.value("--max-input-size").map { (size: String) throws(UsageError) in try parseByteSize(size, option: "--max-input-size") } ?? defaultInputLimit
            for path in paths { sources.append(try readDockerfile(path, limit: limit)) }
        } catch {
            throw CommandFailure(message: "dockerkit: error: \(error.message)")
        }
        if let target = options.value("--target") {
            configuration.target = target
            for (path, source) in zip(paths, sources) {
                let file = LintedFile(path: path, tree: DockerfileParser.parse(source), configuration: configuration)
                guard file.stage(named: target) != nil else {
                    let names = file.stages.map { $0.name ?? String($0.index) }
                    throw CommandFailure(message: "\(path): error: no stage named \(target.escapingControlCharacters()) (stages: \(names.joined(separator: ", ")))")
                }
            }
        }
        let rules = mode == .hadolint ? RuleRegistry.all.filter { $0.description.origin == .hadolint } : RuleRegistry.all
        let linter = Linter(rules: rules, shellCheckRunner: shellCheckRunner)
        let workingDirectory = FileManager.default.currentDirectoryPath
        var baseline: Baseline? = options.value("--write-baseline") == nil ? configuration.baseline : nil
        if let path = options.value("--baseline"), options.value("--write-baseline") == nil {
            do {
                baseline = try Baseline.load(FilePath.resolved(path, from: workingDirectory))
            } catch {
                throw CommandFailure(message: "\(name): error: \(error.description.escapingControlCharacters(keepingTabs: true))")
            }
        }
        if options.has("--fix"), let reportFormat {
            return fix(paths: paths, sources: sources, configuration: configuration, linter: linter, diffOnly: options.has("--diff"), format: reportFormat,
                       includingUnsafe: options.has("--unsafe-fixes"), baseline: baseline)
        }
        var results = LintSession.lint(paths: paths, sources: sources, configuration: configuration, linter: linter)
        if let path = options.value("--write-baseline") {
            let absolute = FilePath.resolved(path, from: workingDirectory)
            let written = Baseline(results, root: FilePath.parent(absolute), workingDirectory: workingDirectory)
            do {
                try SafeFileWriter.create(Array(written.encoded().utf8), at: absolute, mode: 0o644)
            } catch {
                throw CommandFailure(message: "\(name): error: \(error.message)")
            }
            let count = written.counts.values.reduce(0, +)
            StandardStreams.error("\(name): wrote \(count) finding\(count == 1 ? "" : "s") to \(path); lint with --baseline \(path) (or baseline: in .dockerkit.yaml) to report only new ones\n")
            baseline = written
        }
        if let baseline { results = baseline.filtering(results, workingDirectory: workingDirectory) }
        let toTerminal = options.value("--output") == nil && isatty(1) == 1
        // NO_COLOR counts when it is set to something (no-color.org); a dumb terminal gets no escapes either.
        let useColor = toTerminal && (environment["NO_COLOR"] ?? "").isEmpty && (environment["HADOLINT_NOCOLOR"] ?? "").isEmpty
            && environment["TERM"] != "dumb" && !options.has("--no-color")
        // hadolint's shapes (every format when called as hadolint, its own four otherwise) take --file-path-in-report.
        let hadolintShape = hadolintFormat ?? reportFormat.flatMap { $0.isHadolintShaped ? HadolintFormat(rawValue: $0.rawValue) : nil }
        func wholeReport(useColor: Bool) -> String {
            if let hadolintShape {
                return HadolintReporter.render(results, format: hadolintShape, useColor: useColor, filePathInReport: options.value("--file-path-in-report"))
            }
            return reportFormat.map { Reporter.render(results, format: $0, useColor: useColor) } ?? ""
        }
        if let output = options.value("--output") {
            do {
                try SafeFileWriter.create(Array(wholeReport(useColor: false).utf8), at: output, mode: 0o644)
            } catch {
                throw CommandFailure(message: "\(name): error: \(error.message)")
            }
        } else if hadolintShape == nil, let reportFormat {
            Reporter.render(results, format: reportFormat, useColor: reportFormat == .tty && useColor) { StandardStreams.write($0) }
        } else {
            StandardStreams.write(wholeReport(useColor: useColor))
        }
        if hadolintFormat?.alwaysSucceeds == true { return 0 }
        guard !configuration.noFail, let threshold = configuration.failureThreshold else { return 0 }
        return results.contains { $0.findings.contains { $0.severity >= threshold } } ? 1 : 0
    }

    /// hadolint's environment variables, between the config file and the flags.
    static func applyEnvironment(_ environment: [String: String], to configuration: inout LintConfiguration, name: String) throws(CommandFailure) {
        func list(_ key: String) -> [String] {
            (environment[key] ?? "").split(separator: ",").map { $0.trimming(" ") }.filter { !$0.isEmpty }
        }
        func isOn(_ key: String) -> Bool {
            guard let value = environment[key]?.lowercased() else { return false }
            return !["", "0", "false", "no", "off"].contains(value)
        }
        if isOn("HADOLINT_NOFAIL") { configuration.noFail = true }
        if let threshold = environment["HADOLINT_FAILURE_THRESHOLD"], !threshold.isEmpty { try setThreshold(threshold, of: &configuration, name: name) }
        let ignored = list("HADOLINT_IGNORE")
        if !ignored.isEmpty { configuration.ignored = Set(ignored) }
        for (key, severity) in [("HADOLINT_OVERRIDE_ERROR", Severity.error), ("HADOLINT_OVERRIDE_WARNING", .warning),
                                ("HADOLINT_OVERRIDE_INFO", .info), ("HADOLINT_OVERRIDE_STYLE", .style)] {
            for code in list(key) { configuration.severityOverrides[code] = severity }
        }
        configuration.trustedRegistries += list("HADOLINT_TRUSTED_REGISTRIES")
        for schema in list("HADOLINT_REQUIRE_LABELS") { try addLabelSchema(schema, to: &configuration, name: name) }
        if isOn("HADOLINT_STRICT_LABELS") { configuration.strictLabels = true }
        if isOn("HADOLINT_DISABLE_IGNORE_PRAGMA") { configuration.disablesIgnorePragmas = true }
    }

    static func setThreshold(_ threshold: String, of configuration: inout LintConfiguration, name: String) throws(CommandFailure) {
        if threshold == "none" || threshold == "ignore" {
            configuration.failureThreshold = nil
        } else if let severity = Severity(rawValue: threshold) {
            configuration.failureThreshold = severity
        } else {
            throw CommandFailure(message: "\(name): unknown failure threshold '\(threshold)' (error, warning, info, style, ignore, none)")
        }
    }

    /// `maintainer:text`, as hadolint's `--require-label` takes it.
    static func addLabelSchema(_ schema: String, to configuration: inout LintConfiguration, name: String) throws(CommandFailure) {
        guard let colon = schema.firstIndex(of: ":"), colon != schema.startIndex else {
            throw CommandFailure(message: "\(name): --require-label takes LABEL:FORMAT (e.g. maintainer:text), not '\(schema)'")
        }
        configuration.labelSchema[String(schema[..<colon])] = String(schema[schema.index(after: colon)...])
    }

    /// Applies the safe fixes: prints diffs (`--diff`), or writes each file and reports what is left in `format`.
    /// Every file is tried; a file that cannot be written is said and makes the exit status 2.
    static func fix(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter, diffOnly: Bool, format: ReportFormat,
                    includingUnsafe: Bool = false, baseline: Baseline? = nil) -> Int32 {
        var remaining: [LintResult] = []
        var writeFailed = false
        for (path, source) in zip(paths, sources) {
            let configuration = LintSession.configuration(configuration, forDockerfileAt: path)
            if let (fixed, applied) = Fixer.fix(source: source, path: path, configuration: configuration, linter: linter, includingUnsafe: includingUnsafe) {
                if diffOnly || path == "-" {
                    StandardStreams.write(UnifiedDiff.render(old: String(decoding: source, as: UTF8.self), new: String(decoding: fixed, as: UTF8.self), path: path))
                } else {
                    do {
                        try SafeFileWriter.write(fixed, to: path, expecting: source)
                        StandardStreams.error("\(path): applied \(applied) fix\(applied == 1 ? "" : "es")\n")
                    } catch {
                        StandardStreams.error("dockerkit lint: error: \(error.message)\n")
                        writeFailed = true
                        remaining.append(linter.lint(source: source, path: path, configuration: configuration))
                        continue
                    }
                }
                remaining.append(linter.lint(source: fixed, path: path, configuration: configuration))
            } else {
                remaining.append(linter.lint(source: source, path: path, configuration: configuration))
            }
        }
        if let baseline { remaining = baseline.filtering(remaining, workingDirectory: FileManager.default.currentDirectoryPath) }
        if !diffOnly { Reporter.render(remaining, format: format, useColor: false) { StandardStreams.write($0) } }
        if writeFailed { return 2 }
        guard !configuration.noFail, let threshold = configuration.failureThreshold else { return 0 }
        return remaining.contains { $0.findings.contains { $0.severity >= threshold } } ? 1 : 0
    }
}

/// shellcheck at `executable`, run as a child process; its standard error is dropped.
func shellCheck(at executable: String) -> ShellCheckRunner {
    { arguments, input in
        guard let result = try? ChildProcess.run(executable, arguments: arguments, input: input) else { return nil }
        return result.output
    }
}
