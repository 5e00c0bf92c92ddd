import DockerfileSyntax

/// An example for a rule's documentation and tests. `↓` marks where each expected finding starts.
public struct RuleExample: Sendable, ExpressibleByStringLiteral {
    public let text: String
    /// Configuration the example needs (e.g. a chosen mirror).
    public let configuration: LintConfiguration
    /// The text after the rule's safe fixes, when the example shows a fix (the tests require exactly this).
    public let fixed: String?

    public init(_ text: String, configuration: LintConfiguration = LintConfiguration(), fixed: String? = nil) {
        self.text = text
        self.configuration = configuration
        self.fixed = fixed
    }

    public init(stringLiteral value: String) {
        self.init(value)
    }
}

/// Where a rule comes from: hadolint's DL rules, BuildKit's checks, or dockerkit's own DK rules.
public enum RuleOrigin: String, Sendable, CaseIterable, Comparable {
    case hadolint, dockerkit, buildkit

    public static func < (lhs: RuleOrigin, rhs: RuleOrigin) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }
}

/// What a rule is about (the folder of Sources/Lint/Rules it lives in).
public enum RuleCategory: String, Sendable, CaseIterable {
    case apt, packages, images, stages, instructions, labels, shell, security, cuda, mirrors
}

/// What a rule is: its code, name, default severity, documentation and the examples that are its tests.
public struct RuleDescription: Sendable {
    public let code: String
    public let origin: RuleOrigin
    public let category: RuleCategory
    public let name: String
    public let severity: Severity
    public let summary: String
    public let rationale: String
    public let documentation: String
    /// Examples that must report (at their `↓` marks), and examples that must not.
    public var triggeringExamples: [RuleExample] { triggering() }
    public var nonTriggeringExamples: [RuleExample] { nonTriggering() }
    /// Built when asked for: a lint reads every rule's description, and most never need the examples. Each is kept
    /// as its own closure, which captures nothing, so a description needs no allocation.
    private let triggering: @Sendable () -> [RuleExample]
    private let nonTriggering: @Sendable () -> [RuleExample]
    /// Whether findings can carry a fix.
    public let isFixable: Bool
    /// Off unless asked for.
    public let isOptIn: Bool
    /// BuildKit's frontend refuses what this rule finds, so DL1000 reports it too: where a DL1000 stands on the same
    /// line, this rule's finding is dropped (one finding per problem).
    public let isRefusedByBuildKit: Bool
    /// Other codes of the same check (BuildKit's name for a hadolint rule): configuration, pragmas and `--ignore`
    /// accept them, and findings carry the one the configuration named.
    public var aliases: [String] { aliasList() }
    /// A closure, like the examples, because a stored array would make the compiler build every rule's description
    /// at run time, in memory written on first use, where a description of constants and closures is laid out in the
    /// binary itself.
    private let aliasList: @Sendable () -> [String]

    /// BuildKit's name for this check, when it is one of BuildKit's: `# check=skip=NAME` applies to it.
    public var buildKitName: String? {
        origin == .buildkit ? code : aliases.first { !$0.hasPrefix("DL") && !$0.hasPrefix("DK") && !$0.hasPrefix("SC") }
    }

    public init(
        code: String, origin: RuleOrigin, category: RuleCategory, name: String, severity: Severity, summary: String, rationale: String,
        documentation: String, triggeringExamples: @autoclosure @escaping @Sendable () -> [RuleExample],
        nonTriggeringExamples: @autoclosure @escaping @Sendable () -> [RuleExample], isFixable: Bool = false,
        isOptIn: Bool = false, isRefusedByBuildKit: Bool = false, aliases: @autoclosure @escaping @Sendable () -> [String] = []
    ) {
        aliasList = aliases
        self.isRefusedByBuildKit = isRefusedByBuildKit
        self.code = code
        self.origin = origin
        self.category = category
        self.name = name
        self.severity = severity
        self.summary = summary
        self.rationale = rationale
        self.documentation = documentation
        triggering = triggeringExamples
        nonTriggering = nonTriggeringExamples
        self.isFixable = isFixable
        self.isOptIn = isOptIn
    }
}

/// What a rule's findings depend on, which says what an edit makes it check again.
public enum RuleScope: Sendable {
    /// Each finding lies inside one instruction and depends only on that instruction's bytes and the configuration;
    /// the rule finds instructions and commands only through `LintedFile`'s indices (`instructionIndices(of:)`,
    /// `runInstructionIndices`, `commands(…)`), so a file focused on some instructions makes it check only those.
    case instruction
    /// Findings may depend on other instructions (stages, earlier ARGs and ENVs, counts over the file).
    case file
}

/// A lint rule: looks at a file's semantic model and reports findings.
public protocol LintRule: Sendable {
    /// The rule's code, documentation and examples: the same for every value of the type.
    static var description: RuleDescription { get }
    /// What the findings depend on (``RuleScope/file`` unless the rule says otherwise).
    static var scope: RuleScope { get }
    /// What configuration reads of the description (the default reads it from ``description``): a requirement of
    /// its own, so that code holding `any LintRule` reads two fields instead of copying the whole description.
    static var switches: RuleSwitches { get }
    func check(_ file: LintedFile) -> [Finding]
}

/// A rule's code and whether it is opt-in: what the linter reads of every rule on every run.
public struct RuleSwitches: Sendable {
    public let code: String
    public let isOptIn: Bool
}

extension LintRule {
    public static var scope: RuleScope { .file }

    public static var switches: RuleSwitches {
        RuleSwitches(code: description.code, isOptIn: description.isOptIn)
    }

    /// `Self.description`, for code that holds a rule value.
    public var description: RuleDescription { Self.description }

    /// A finding of this rule at its default severity.
    func finding(_ message: String, at range: SourceRange, fix: Fix? = nil) -> Finding {
        Finding(code: description.code, severity: description.severity, message: message, range: range, fix: fix)
    }
}
