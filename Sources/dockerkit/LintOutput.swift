import FoundationEssentials
import Lint
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What `dockerkit lint` and `hadolint` print and write: reports, baselines and the outcome of `--fix`.
enum LintOutput {
    /// The report format asked for, in the dialect of the program that was called.
    enum Format {
        case dockerkit(ReportFormat)
        case hadolint(HadolintFormat)

        init(_ name: String, mode: LintCommand.Mode) throws(CommandFailure) {
            switch mode {
            case .dockerkit:
                guard let format = ReportFormat(rawValue: name) else { throw CommandFailure(message: "dockerkit lint: unknown format '\(name)'\n\(LintCommand.usage)") }
                self = .dockerkit(format)
            case .hadolint:
                guard let format = HadolintFormat(rawValue: name) else {
                    throw CommandFailure(message: "hadolint: unknown format '\(name)' (tty, json, checkstyle, codeclimate, gitlab_codeclimate, gnu, codacy, sonarqube, sarif, junit)")
                }
                self = .hadolint(format)
            }
        }

        /// hadolint exits 0 with some formats whatever they hold.
        var alwaysSucceeds: Bool {
            if case .hadolint(let format) = self { return format.alwaysSucceeds }
            return false
        }

        /// hadolint's shape: every format when called as hadolint, its own four otherwise.
        var hadolintShape: HadolintFormat? {
            switch self {
            case .hadolint(let format): return format
            case .dockerkit(let format): return format.isHadolintShaped ? HadolintFormat(rawValue: format.rawValue) : nil
            }
        }
    }

    /// The baseline to filter by: `--baseline FILE`, else the configuration's; none while writing one.
    static func baseline(_ options: CommandLineArguments, configuration: LintConfiguration, name: String) throws(CommandFailure) -> Baseline? {
        guard options.value("--write-baseline") == nil else { return nil }
        guard let path = options.value("--baseline") else { return configuration.baseline }
        do {
            return try Baseline.load(FilePath.resolved(path, from: FileManager.default.currentDirectoryPath))
        } catch {
            throw CommandFailure(message: "\(name): error: \(error.description.escapingControlCharacters(keepingTabs: true))")
        }
    }

    /// Writes `results` as a new baseline at `path` (never over an existing file) and returns it.
    static func writeBaseline(_ results: [LintResult], to path: String, name: String) throws(CommandFailure) -> Baseline {
        let workingDirectory = FileManager.default.currentDirectoryPath
        let absolute = FilePath.resolved(path, from: workingDirectory)
        let written = Baseline(results, root: FilePath.parent(absolute), workingDirectory: workingDirectory)
        do {
            try SafeFileWriter.create(Array(written.encoded().utf8), at: absolute, mode: 0o644)
        } catch {
            throw CommandFailure(message: "\(name): error: \(error.message)")
        }
        let count = written.counts.values.reduce(0, +)
        StandardStreams.error("\(name): wrote \(count) finding\(count == 1 ? "" : "s") to \(path); lint with --baseline \(path) (or baseline: in .dockerkit.yaml) to report only new ones\n")
        return written
    }

    /// Prints the report (streamed where the format allows) or writes it to `--output`.
    static func report(_ results: [LintResult], format: Format, options: CommandLineArguments, environment: [String: String], name: String) throws(CommandFailure) {
        let toTerminal = options.value("--output") == nil && isatty(1) == 1
        // NO_COLOR counts when it is set to something (no-color.org); a dumb terminal gets no escapes either.
        let useColor = toTerminal && (environment["NO_COLOR"] ?? "").isEmpty && (environment["HADOLINT_NOCOLOR"] ?? "").isEmpty
            && environment["TERM"] != "dumb" && !options.has("--no-color")
        func wholeReport(useColor: Bool) -> String {
            if let shape = format.hadolintShape {
                return HadolintReporter.render(results, format: shape, useColor: useColor, filePathInReport: options.value("--file-path-in-report"))
            }
            guard case .dockerkit(let reportFormat) = format else { return "" }
            return Reporter.render(results, format: reportFormat, useColor: useColor)
        }
        if let output = options.value("--output") {
            do {
                try SafeFileWriter.create(Array(wholeReport(useColor: false).utf8), at: output, mode: 0o644)
            } catch {
                throw CommandFailure(message: "\(name): error: \(error.message)")
            }
        } else if format.hadolintShape == nil, case .dockerkit(let reportFormat) = format {
            Reporter.render(results, format: reportFormat, useColor: reportFormat == .tty && useColor) { StandardStreams.write($0) }
        } else {
            StandardStreams.write(wholeReport(useColor: useColor))
        }
    }

    /// Applies the fixes: prints diffs (`--diff`, or standard input), or writes each file and reports what is left in
    /// `format`. A file that cannot be written is said and makes the exit status 2.
    static func fix(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter, diffOnly: Bool, format: ReportFormat,
                    includingUnsafe: Bool, baseline: Baseline?) -> Int32 {
        let outcomes = LintSession.fix(paths: paths, sources: sources, configuration: configuration, linter: linter,
                                       includingUnsafe: includingUnsafe, write: !diffOnly)
        for outcome in outcomes {
            guard let fixed = outcome.fixed else { continue }
            if diffOnly || outcome.path == "-" {
                StandardStreams.write(UnifiedDiff.render(old: String(decoding: outcome.original, as: UTF8.self), new: String(decoding: fixed, as: UTF8.self), path: outcome.path))
            } else if let writeError = outcome.writeError {
                StandardStreams.error("dockerkit lint: error: \(writeError)\n")
            } else {
                StandardStreams.error("\(outcome.path): applied \(outcome.appliedCount) fix\(outcome.appliedCount == 1 ? "" : "es")\n")
            }
        }
        var remaining = outcomes.map(\.remaining)
        if let baseline { remaining = baseline.filtering(remaining, workingDirectory: FileManager.default.currentDirectoryPath) }
        if !diffOnly { Reporter.render(remaining, format: format, useColor: false) { StandardStreams.write($0) } }
        if outcomes.contains(where: { $0.writeError != nil }) { return 2 }
        return configuration.fails(remaining) ? 1 : 0
    }
}
