import Knowledge
import Lint
import Support

/// How lint's config files, `HADOLINT_*` variables and flags become one configuration.
extension LintCommand {
    /// Settings, weakest first: config files, `HADOLINT_*` variables, flags.
    static func settings(_ options: CommandLineArguments, mode: Mode, environment: [String: String], name: String) throws(CommandFailure) -> LintConfiguration {
        var configuration = LintConfiguration()
        if !options.has("--no-config") {
            let files = options.value("--config").map { [$0] } ?? ConfigurationLoader.discover(forHadolint: mode == .hadolint, environment: environment)
            try ConfigurationLoader.load(files, into: &configuration)
        }
        do {
            try configuration.applyHadolintEnvironment(environment)
            if let threshold = options.value("--failure-threshold") { try configuration.setFailureThreshold(threshold) }
            for schema in options.values("--require-label") { try configuration.requireLabel(schema) }
        } catch {
            throw CommandFailure(message: "\(name): \(error.message)")
        }
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
        if options.has("--strict-labels") { configuration.strictLabels = true }
        if options.has("--disable-ignore-pragma") { configuration.disablesIgnorePragmas = true }
        if options.has("--report-unused-ignores") { configuration.reportUnusedIgnores = true }
        if options.has("--no-fail") { configuration.noFail = true }
        if options.has("--shellcheck") { configuration.runsShellCheck = true }
        if let mirror = options.value("--mirror") {
            let mirrorName = mirror.lowercased()
            guard mirrorName == "none" || MirrorCatalog.shared.mirror(named: mirrorName) != nil else {
                throw CommandFailure(message: "dockerkit lint: unknown mirror '\(mirror)'; choose \((MirrorCatalog.shared.names + ["none"]).joined(separator: ", "))")
            }
            configuration.mirror = mirrorName
        }
        return configuration
    }

    /// hadolint always runs ShellCheck over RUN scripts when shellcheck is installed; `dockerkit lint` when asked.
    static func shellCheckRunner(mode: Mode, configuration: inout LintConfiguration) throws(CommandFailure) -> ShellCheckRunner? {
        if mode == .hadolint {
            guard let executable = ShellCheck.locate() else { return nil }
            configuration.runsShellCheck = true
            return shellCheck(at: executable)
        }
        guard configuration.runsShellCheck else { return nil }
        guard let executable = ShellCheck.locate() else {
            throw CommandFailure(message: "dockerkit lint: --shellcheck needs the shellcheck binary on PATH (Debian: apt-get install shellcheck)")
        }
        return shellCheck(at: executable)
    }
}

/// shellcheck at `executable`, run as a child process; its standard error is dropped.
func shellCheck(at executable: String) -> ShellCheckRunner {
    { arguments, input in
        guard let result = try? ChildProcess.run(executable, arguments: arguments, input: input) else { return nil }
        return result.output
    }
}
