import Support
import DockerfileSyntax
import Synchronization
import Dispatch

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
    private let switches: [RuleSwitches]
    /// The rules' names and aliases, read when configuration or a pragma names a rule.
    private let codeTables: RuleCodeTables
    /// Each rule's scope, in `rules` order.
    let scopes: [RuleScope]

    public init(rules: [any LintRule] = RuleRegistry.all, shellCheckRunner: ShellCheckRunner? = nil) {
        self.rules = rules
        self.shellCheckRunner = shellCheckRunner
        var switches: [RuleSwitches] = []
        var scopes: [RuleScope] = []
        switches.reserveCapacity(rules.count)
        scopes.reserveCapacity(rules.count)
        for rule in rules {
            let type = type(of: rule)
            switches.append(type.switches)
            scopes.append(type.scope)
        }
        self.switches = switches
        self.scopes = scopes
        codeTables = RuleCodeTables(rules)
    }

    /// BuildKit checks that report the same problem, at the same instruction, as a hadolint rule: when both fire
    /// on one line, only the hadolint code is reported (its code is the one teams already know and suppress).
    public static let sameProblem: [String: Set<String>] = [
        "JSONArgsRecommended": ["DL3025"],
        "WorkdirRelativePath": ["DL3000"],
        "FromPlatformFlagConstDisallowed": ["DL3029"],
        "MultipleInstructionsDisallowed": ["DL4003", "DL4004"],
        "DuplicateStageName": ["DL3024"],
    ]

    /// Removes each BuildKit check's finding whose hadolint twin (``sameProblem``) is on the same line, in place.
    static func dropSameProblems(_ findings: inout [Finding]) {
        // Only BuildKit's checks have twins, and their names are longer than hadolint's and dockerkit's codes (DL3025,
        // DK101): most findings are ruled out by their code's length, without hashing it.
        func mayHaveTwin(_ code: String) -> Bool {
            code.utf8.count > 6 && sameProblem[code] != nil
        }
        guard findings.contains(where: { mayHaveTwin($0.code) }) else { return }
        var linesByCode: [String: Set<Int>] = [:]
        for finding in findings { linesByCode[finding.code, default: []].insert(finding.range.start.line) }
        findings.removeAll { finding in
            guard let twins = sameProblem[finding.code] else { return false }
            return twins.contains { linesByCode[$0]?.contains(finding.range.start.line) == true }
        }
    }

    /// The findings in the stages `reached` (and before the first FROM, where the global ARGs every stage can
    /// read are); parse errors are always kept.
    static func keeping(_ findings: [Finding], in reached: Set<Int>, of file: LintedFile) -> [Finding] {
        let spans = file.stages.filter { reached.contains($0.index) }.compactMap { stage -> Range<Int>? in
            guard let first = stage.instructionIndices.first, let last = stage.instructionIndices.last else { return nil }
            return file.instructions[first].range.start.offset..<file.instructions[last].range.end.offset
        }
        let firstFrom = file.stages.first.flatMap { $0.instructionIndices.first }.map { file.instructions[$0].range.start.offset } ?? Int.max
        return findings.filter { finding in
            let offset = finding.range.start.offset
            return finding.code == parseErrorCode || offset < firstFrom || spans.contains { $0.contains(offset) }
        }
    }

    public static let parseErrorCode = "DL1000"
    public static let unusedSuppressionCode = "DK001"

    public func lint(source: [UInt8], path: String, configuration: LintConfiguration) -> LintResult {
        lint(LintedFile(path: path, tree: DockerfileParser.parse(source), configuration: configuration))
    }

    /// Lints a file already parsed (the caller decides how long the tree lives). `isCancelled` is asked before each
    /// rule: once it says yes the remaining rules are skipped, and the incomplete result is for discarding (an
    /// editor's document changed while it was linted).
    public func lint(_ file: LintedFile, stoppingWhen isCancelled: () -> Bool = { false }) -> LintResult {
        let enabled = enabledRules(file.configuration)
        guard file.instructions.count >= Self.parallelRulesThreshold else {
            let parseErrors = Self.parseErrorFindings(of: file.tree)
            let found = findings(of: enabled, in: file, reservingRoomFor: { parseErrors.count }, stoppingWhen: isCancelled)
            return finish(consume found, parseErrors: parseErrors, of: file)
        }
        // A large file's parse errors are found on another core while the rules run.
        let tree = file.tree
        let parseErrors = BackgroundFindings { Self.parseErrorFindings(of: tree) }
        let found = findings(of: enabled, in: file, inParallel: true, reservingRoomFor: { parseErrors.result.count }, stoppingWhen: isCancelled)
        return finish(consume found, parseErrors: parseErrors.result, of: file)
    }

    /// Indices into `rules` of the rules the configuration runs (opt-in rules only when enabled or given a severity).
    func enabledRules(_ configuration: LintConfiguration) -> [Int] {
        if configuration.ignored.isEmpty && configuration.enabledRules.isEmpty && configuration.severityOverrides.isEmpty {
            return switches.indices.filter { !switches[$0].isOptIn }
        }
        let ignored = Set(configuration.ignored.map(primary))
        let enabled = Set(configuration.enabledRules.map(primary))
        let overridden = Set(configuration.severityOverrides.keys.map(primary))
        return switches.indices.filter { index in
            let code = switches[index].code
            if ignored.contains(code) { return false }
            return !switches[index].isOptIn || enabled.contains(code) || overridden.contains(code)
        }
    }

    /// The findings of some rules on a file, as the rules report them. With `inParallel` (a large file: an editor's,
    /// or one file on the command line) the rules run on every core; otherwise in turn. `extra`: how many findings the
    /// caller appends afterwards, for which the joined array keeps room (growing it would copy every finding again),
    /// asked once the rules are done.
    func findings(
        of ruleIndices: [Int], in file: LintedFile, inParallel: Bool = false, reservingRoomFor extra: () -> Int = { 0 },
        stoppingWhen isCancelled: () -> Bool = { false }
    ) -> [Finding] {
        guard inParallel, ruleIndices.count > 1 else {
            var findings: [Finding] = []
            for index in ruleIndices {
                if isCancelled() { break }
                findings.append(contentsOf: rules[index].check(file))
            }
            return findings
        }
        let results = Mutex([[Finding]](repeating: [], count: ruleIndices.count))
        let stop = Mutex(false)
        withoutActuallyEscaping(isCancelled) { isCancelled in
            nonisolated(unsafe) let isCancelled = isCancelled
            DispatchQueue.concurrentPerform(iterations: ruleIndices.count) { position in
                guard !stop.withLock({ $0 }) else { return }
                if isCancelled() {
                    stop.withLock { $0 = true }
                    return
                }
                let found = rules[ruleIndices[position]].check(file)
                results.withLock { $0[position] = found }
            }
        }
        // Joined into an array of the exact size, each rule's array released once copied: a large file's findings
        // are not held twice over, nor in a buffer grown by doubling.
        return results.withLock { results in
            var joined: [Finding] = []
            joined.reserveCapacity(results.reduce(extra()) { $0 + $1.count })
            for position in results.indices {
                joined.append(contentsOf: results[position])
                results[position] = []
            }
            return joined
        }
    }

    /// Instructions from which a file's rules run in parallel: below it, starting threads costs more than it saves.
    static let parallelRulesThreshold = 500

    /// The code configuration means by any of a check's codes or its name.
    private func primary(_ code: String) -> String { codeTables.tables.primaryCodes[code] ?? code }

    /// The tree's syntax errors and BuildKit's refusals of its instructions, as findings.
    static func parseErrorFindings(of tree: DockerfileSyntaxTree) -> [Finding] {
        (tree.errors + tree.instructionErrors()).map(parseErrorFinding)
    }

    static func parseErrorFinding(_ error: SyntaxError) -> Finding {
        Finding(code: Linter.parseErrorCode, severity: .error, message: error.message, range: error.range)
    }

    /// The result from the rules' findings: `parseErrors` (``parseErrorFindings(of:)``) added, then suppressions,
    /// configuration and order. `ruleFindings` is taken over and filtered in place: a large file's findings are not
    /// held twice.
    func finish(_ ruleFindings: consuming [Finding], parseErrors: [Finding], of file: LintedFile) -> LintResult {
        let tree = file.tree
        let configuration = file.configuration
        let path = file.path
        var findings = ruleFindings
        if !parseErrors.isEmpty {
            let parseErrorLines = Set(parseErrors.map(\.range.start.line))
            let refusedByBuildKit = codeTables.tables.refusedByBuildKit
            findings.removeAll { refusedByBuildKit.contains($0.code) && parseErrorLines.contains($0.range.start.line) }
            findings.append(contentsOf: parseErrors)
        }
        var overrides: [String: Severity] = [:]
        var namedCodes: [String: String] = [:]
        for (code, severity) in configuration.severityOverrides { overrides[primary(code)] = severity }
        for code in Array(configuration.severityOverrides.keys) + Array(configuration.enabledRules) + Array(configuration.ignored) {
            let main = primary(code)
            if codeTables.tables.aliases[main]?.contains(code) == true { namedCodes[main] = code }
        }
        let suppressions = Suppressions(tree: tree)
        // ShellCheck reads POSIX shells; `# hadolint shell=powershell` says the RUNs are not one.
        let isPOSIXShell = suppressions.shell.map { ["sh", "bash", "dash", "ash", "ksh", "busybox"].contains(FilePath.lastComponent($0)) } ?? true
        if configuration.runsShellCheck, isPOSIXShell, let shellCheckRunner {
            findings.append(contentsOf: ShellCheck.findings(for: file, runner: shellCheckRunner).filter { !configuration.ignored.contains($0.code) })
        }
        var usedPragmas = Set<Int>()
        let buildKitNames = suppressions.skippedChecks.isEmpty ? [:] : codeTables.tables.buildKitNames
        if !buildKitNames.isEmpty || (!suppressions.pragmas.isEmpty && !configuration.disablesIgnorePragmas) {
            findings.removeAll { finding in
                if let buildKitName = buildKitNames[finding.code], suppressions.skipsCheck(buildKitName) { return true }
                if !configuration.disablesIgnorePragmas,
                   let pragma = suppressions.suppressingPragma(for: finding, primaryCode: primary) {
                    usedPragmas.insert(pragma)
                    return true
                }
                return false
            }
        }
        Linter.dropSameProblems(&findings)
        if let target = configuration.target, let reached = file.stages(reachedBy: target) {
            findings = Linter.keeping(findings, in: reached, of: file)
        }
        if configuration.reportUnusedIgnores && !configuration.ignored.contains(Linter.unusedSuppressionCode) {
            for (index, pragma) in suppressions.pragmas.enumerated() where !usedPragmas.contains(index) {
                findings.append(Finding(
                    code: Linter.unusedSuppressionCode, severity: .info,
                    message: "Suppression of \(pragma.codes.joined(separator: ", ")) is unused", range: pragma.range))
            }
        }
        if !overrides.isEmpty || !namedCodes.isEmpty {
            for index in findings.indices {
                let code = findings[index].code
                findings[index].severity = overrides[code] ?? findings[index].severity
                // A finding carries the code the configuration named it by, else its own (hadolint's, when it has one).
                if let named = namedCodes[code] { findings[index].code = named }
            }
        }
        findings.sort { left, right in
            if left.range.start.offset != right.range.start.offset { return left.range.start.offset < right.range.start.offset }
            return (left.code, left.range.end.offset) < (right.code, right.range.end.offset)
        }
        return LintResult(path: path, source: tree.source, lineTable: tree.lineTable, findings: findings)
    }
}

/// Every rule's code, name and aliases → its code; each code's aliases and BuildKit name; the codes BuildKit refuses.
/// Built on first use (a plain lint of a file that parses, with no code configured and no pragma, never asks), once
/// per linter.
private final class RuleCodeTables: Sendable {
    struct Tables: Sendable {
        var primaryCodes: [String: String] = [:]
        var aliases: [String: Set<String>] = [:]
        /// `# check=skip=NAME` applies to the check with that BuildKit name.
        var buildKitNames: [String: String] = [:]
        /// Codes of the rules whose findings BuildKit's parser refuses too (dropped on lines with a parse error).
        var refusedByBuildKit: Set<String> = []
    }

    private let rules: [any LintRule]
    private let built = Mutex<Tables?>(nil)

    init(_ rules: [any LintRule]) {
        self.rules = rules
    }

    var tables: Tables {
        built.withLock { built in
            if let built { return built }
            var tables = Tables()
            for rule in rules {
                let description = rule.description
                if let name = description.buildKitName { tables.buildKitNames[description.code] = name }
                for key in [description.code, description.name] + description.aliases { tables.primaryCodes[key] = description.code }
                tables.aliases[description.code] = Set(description.aliases)
                if description.isRefusedByBuildKit { tables.refusedByBuildKit.insert(description.code) }
            }
            built = tables
            return tables
        }
    }
}

/// Findings made on another thread: `result` waits for them.
private final class BackgroundFindings: @unchecked Sendable {
    private let group = DispatchGroup()
    // Written once on the other thread before it leaves the group, read only after waiting on it.
    private var found: [Finding] = []

    init(_ work: @escaping @Sendable () -> [Finding]) {
        group.enter()
        DispatchQueue.global().async {
            self.found = work()
            self.group.leave()
        }
    }

    var result: [Finding] {
        group.wait()
        return found
    }
}
