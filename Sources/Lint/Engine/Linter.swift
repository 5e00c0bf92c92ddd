import DockerfileSyntax

/// The result of linting one file.
public struct LintResult: Sendable {
    public let path: String
    /// The file's bytes and line starts, for reporters that show the lines; the syntax tree is not kept, so
    /// linting many files holds findings, not trees.
    public let source: [UInt8]
    public let lineTable: LineTable
    /// Findings after suppressions and configuration, sorted by position.
    public let findings: [Finding]
}

/// Runs rules over files, applying suppressions and configuration.
public struct Linter: Sendable {
    public let rules: [any LintRule]
    /// How shellcheck is run when the configuration asks for it; without one, ShellCheck findings are skipped.
    public let shellCheckRunner: ShellCheckRunner?

    /// What configuration needs of each rule, read once: a description is large, and copying it for every rule of
    /// every file would cost more than the rules themselves on small files.
    private let switches: [(code: String, name: String, isOptIn: Bool, isRefusedByBuildKit: Bool)]
    /// Codes of BuildKit's checks: `# check=skip=…` applies to them, and pragmas name them by name.
    private let buildKitCodes: Set<String>

    public init(rules: [any LintRule] = RuleRegistry.all, shellCheckRunner: ShellCheckRunner? = nil) {
        self.rules = rules
        self.shellCheckRunner = shellCheckRunner
        switches = rules.map { rule in
            let description = rule.description
            return (description.code, description.name, description.isOptIn, description.isRefusedByBuildKit)
        }
        buildKitCodes = Set(rules.filter { $0.description.origin == .buildkit }.map(\.description.code))
    }

    public static let parseErrorCode = "DL1000"
    public static let unusedSuppressionCode = "DK001"

    public func lint(source: [UInt8], path: String, configuration: LintConfiguration) -> LintResult {
        lint(LintedFile(path: path, tree: DockerfileParser.parse(source), configuration: configuration))
    }

    /// Lints a file already parsed (the caller decides how long the tree lives).
    public func lint(_ file: LintedFile) -> LintResult {
        let tree = file.tree
        let configuration = file.configuration
        let path = file.path
        var findings = (tree.errors + tree.instructionErrors()).map {
            Finding(code: Linter.parseErrorCode, severity: .error, message: $0.message, range: $0.range)
        }
        let parseErrorLines = Set(findings.map(\.range.start.line))
        for (rule, switches) in zip(rules, switches) {
            if configuration.ignored.contains(switches.code) || configuration.ignored.contains(switches.name) { continue }
            if switches.isOptIn && !configuration.enabledRules.contains(switches.code)
                && configuration.severityOverrides[switches.code] == nil { continue }
            let found = rule.check(file)
            if switches.isRefusedByBuildKit && !parseErrorLines.isEmpty {
                findings.append(contentsOf: found.filter { !parseErrorLines.contains($0.range.start.line) })
            } else {
                findings.append(contentsOf: found)
            }
        }
        if configuration.runsShellCheck, let shellCheckRunner {
            findings.append(contentsOf: ShellCheck.findings(for: file, runner: shellCheckRunner).filter { !configuration.ignored.contains($0.code) })
        }
        let suppressions = Suppressions(tree: tree)
        var usedPragmas = Set<Int>()
        findings = findings.filter { finding in
            let isBuildKitCheck = buildKitCodes.contains(finding.code)
            if isBuildKitCheck && suppressions.skipsCheck(finding.code) { return false }
            if let pragma = suppressions.suppressingPragma(for: finding, isBuildKitCheck: isBuildKitCheck) {
                usedPragmas.insert(pragma)
                return false
            }
            return true
        }
        if configuration.reportUnusedIgnores && !configuration.ignored.contains(Linter.unusedSuppressionCode) {
            for (index, pragma) in suppressions.pragmas.enumerated() where !usedPragmas.contains(index) {
                findings.append(Finding(
                    code: Linter.unusedSuppressionCode, severity: .info,
                    message: "Suppression of \(pragma.codes.joined(separator: ", ")) is unused", range: pragma.range))
            }
        }
        for index in findings.indices {
            findings[index].severity = configuration.severity(for: findings[index].code, default: findings[index].severity)
        }
        findings.sort {
            ($0.range.start.offset, $0.code, $0.range.end.offset) < ($1.range.start.offset, $1.code, $1.range.end.offset)
        }
        return LintResult(path: path, source: tree.source, lineTable: tree.lineTable, findings: findings)
    }
}
