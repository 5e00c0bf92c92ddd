import DockerfileSyntax

/// DL3046: useradd with a long UID and without -l.
struct UseraddLogInitRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3046", origin: .hadolint, category: .shell, name: "useradd-no-log-init", severity: .warning,
        summary: "`useradd` without flag `-l` and high UID will result in excessively large Image.",
        rationale: "useradd writes a sparse lastlog entry sized by the UID, which layers store densely.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3046",
        triggeringExamples: ["FROM debian:12\n↓RUN useradd -u 123456 lab\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN useradd -l -u 123456 lab\n", "FROM debian:12\nRUN useradd -u 1000 lab\n"])

    /// hadolint measures a UID as ShellCheck prints it: `$UID` counts as `${UID}`.
    static func hadolintLength(_ value: String) -> Int {
        value.hasPrefix("$") && !value.hasPrefix("${") ? value.count + 2 : value.count
    }

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["useradd"]) { command in
            command.name.value == "useradd" && !command.hasAnyFlag(["l", "no-log-init"]) && command.hasAnyFlag(["u", "uid"])
                && command.flagValues("u").contains { Self.hadolintLength($0) > 5 }
        }
    }
}
