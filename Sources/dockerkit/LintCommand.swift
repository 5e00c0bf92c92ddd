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
import Synchronization

/// `dockerkit lint [FILES|DIRS|-] [--format F] [--failure-threshold L] [--ignore CODE] [--config F|--no-config]
/// [--mirror NAME] [--report-unused-ignores] [--shellcheck] [--fix [--diff]]`
enum LintCommand {
    static let usage = """
        usage: dockerkit lint [FILES|DIRS|-] [--format tty|json|sarif|checkstyle|gnu|github|codeclimate]
                              [--failure-threshold error|warning|info|style|none] [--ignore CODE]...
                              [--config FILE | --no-config] [--mirror NAME] [--report-unused-ignores] [--shellcheck] [--fix [--diff]]
                              [--max-input-size SIZE]   (each file or standard input; default 64M)
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(
                arguments, valueOptions: ["--format", "--failure-threshold", "--ignore", "--config", "--mirror", "--enable", "--max-input-size"],
                flagOptions: ["--no-config", "--fix", "--diff", "--report-unused-ignores", "--no-color", "--no-fail", "--shellcheck", "--help"])
        } catch {
            throw CommandFailure(message: "dockerkit lint: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        guard let format = ReportFormat(rawValue: options.value("--format") ?? "tty") else {
            throw CommandFailure(message: "dockerkit lint: unknown format '\(options.value("--format") ?? "")'\n\(usage)")
        }
        var configuration = LintConfiguration()
        if !options.has("--no-config") {
            let files = options.value("--config").map { [$0] } ?? ConfigurationLoader.discover()
            try ConfigurationLoader.load(files, into: &configuration)
        }
        if let threshold = options.value("--failure-threshold") {
            if threshold == "none" {
                configuration.failureThreshold = nil
            } else if let severity = Severity(rawValue: threshold) {
                configuration.failureThreshold = severity
            } else {
                throw CommandFailure(message: "dockerkit lint: unknown failure threshold '\(threshold)'\n\(usage)")
            }
        }
        configuration.ignored.formUnion(options.values("--ignore"))
        configuration.enabledRules.formUnion(options.values("--enable"))
        if options.has("--report-unused-ignores") { configuration.reportUnusedIgnores = true }
        if options.has("--no-fail") { configuration.noFail = true }
        if options.has("--shellcheck") { configuration.runsShellCheck = true }
        var shellCheckRunner: ShellCheckRunner?
        if configuration.runsShellCheck {
            guard let executable = ShellCheck.locate() else {
                throw CommandFailure(message: "dockerkit lint: --shellcheck needs the shellcheck binary on PATH (Debian: apt-get install shellcheck)")
            }
            shellCheckRunner = shellCheck(at: executable)
        }
        if let mirror = options.value("--mirror") {
            let name = mirror.lowercased()
            guard name == "none" || MirrorCatalog.shared.mirror(named: name) != nil else {
                throw CommandFailure(message: "dockerkit lint: unknown mirror '\(mirror)'; choose \((MirrorCatalog.shared.names + ["none"]).joined(separator: ", "))")
            }
            configuration.mirror = name
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
        let linter = Linter(shellCheckRunner: shellCheckRunner)
        if options.has("--fix") {
            return fix(paths: paths, sources: sources, configuration: configuration, linter: linter, diffOnly: options.has("--diff"), format: format)
        }
        let results = lintInParallel(paths: paths, sources: sources, configuration: configuration, linter: linter)
        let useColor = format == .tty && isatty(1) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil && !options.has("--no-color")
        Reporter.render(results, format: format, useColor: useColor) { StandardStreams.write($0) }
        guard !configuration.noFail, let threshold = configuration.failureThreshold else { return 0 }
        return results.contains { $0.findings.contains { $0.severity >= threshold } } ? 1 : 0
    }

    /// Lints files on every core; results come back in the order of `paths`.
    static func lintInParallel(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter) -> [LintResult] {
        if paths.count == 1 {
            let file = LintedFile(path: paths[0], tree: DockerfileParser.parse(sources[0]), configuration: withContext(configuration, for: paths[0]))
            // Never freed: the process ends after the report, and releasing a large tree object by object would cost
            // time and leave the heap fragmented for the report that follows.
            _ = Unmanaged.passRetained(LintedFileHolder(file))
            return [linter.lint(file)]
        }
        let configurations = withContexts(configuration, for: paths)
        let box = ResultBox(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            box.set(index, linter.lint(source: sources[index], path: paths[index], configuration: configurations[index]))
        }
        return box.results.compactMap { $0 }
    }

    /// Applies the safe fixes: prints diffs (`--diff`), or writes each file and reports what is left in `format`.
    /// Every file is tried; a file that cannot be written is said and makes the exit status 2.
    static func fix(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter, diffOnly: Bool, format: ReportFormat) -> Int32 {
        var remaining: [LintResult] = []
        var writeFailed = false
        for (path, source) in zip(paths, sources) {
            let configuration = withContext(configuration, for: path)
            if let (fixed, applied) = Fixer.fix(source: source, path: path, configuration: configuration, linter: linter) {
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

/// Holds a linted file that is meant to live until the process exits.
private final class LintedFileHolder: Sendable {
    let file: LintedFile
    init(_ file: LintedFile) { self.file = file }
}

/// The configuration for one file: BuildKit reads `FILE.dockerignore` or the context's `.dockerignore` (the
/// Dockerfile's directory is taken as the context).
func withContext(_ configuration: LintConfiguration, for path: String) -> LintConfiguration {
    var directoryIgnores = DirectoryIgnores()
    return withContext(configuration, for: path, directoryIgnores: &directoryIgnores)
}

/// The configuration for each file, each directory's `.dockerignore` read once however many files it holds.
func withContexts(_ configuration: LintConfiguration, for paths: [String]) -> [LintConfiguration] {
    var directoryIgnores = DirectoryIgnores()
    return paths.map { withContext(configuration, for: $0, directoryIgnores: &directoryIgnores) }
}

private func withContext(_ configuration: LintConfiguration, for path: String, directoryIgnores: inout DirectoryIgnores) -> LintConfiguration {
    guard path != "-" else { return configuration }
    var result = configuration
    if let data = FileManager.default.contents(atPath: path + ".dockerignore") {
        result.dockerIgnore = String(decoding: data, as: UTF8.self)
    } else {
        let directory = FilePath.parent(path)
        if let text = directoryIgnores.text(in: directory.isEmpty ? "." : directory) { result.dockerIgnore = text }
    }
    return result
}

/// `.dockerignore` texts by directory, read on first use.
private struct DirectoryIgnores {
    private var texts: [String: String?] = [:]

    mutating func text(in directory: String) -> String? {
        if let known = texts[directory] { return known }
        let text = FileManager.default.contents(atPath: directory + "/.dockerignore").map { String(decoding: $0, as: UTF8.self) }
        texts[directory] = text
        return text
    }
}

/// Results written from concurrent workers, one slot each.
final class ResultBox: Sendable {
    private let slots: Mutex<[LintResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ result: LintResult) {
        slots.withLock { $0[index] = result }
    }

    var results: [LintResult?] { slots.withLock { $0 } }
}
