import DockerfileSyntax

/// DL3034: zypper without the non-interactive switch.
struct ZypperNonInteractiveRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3034", origin: .hadolint, category: .packages, name: "zypper-non-interactive", severity: .warning,
        summary: "Non-interactive switch missing from `zypper` command: `zypper install -y`",
        rationale: "zypper waits for an answer that never comes otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3034",
        triggeringExamples: ["FROM opensuse/leap:15.5\n↓RUN zypper install httpd=2.4\n"],
        nonTriggeringExamples: ["FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["zypper"]) { command in
            command.isCommand("zypper", withAnyArgument: ["install", "in", "remove", "rm", "source-install", "si", "patch"])
                && !command.hasAnyFlag(["non-interactive", "n", "no-confirm", "y"])
        }
    }
}
