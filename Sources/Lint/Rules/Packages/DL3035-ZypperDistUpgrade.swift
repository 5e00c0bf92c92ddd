import DockerfileSyntax

/// DL3035: zypper dist-upgrade.
struct ZypperDistUpgradeRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3035", origin: .hadolint, category: .packages, name: "zypper-dist-upgrade", severity: .warning,
        summary: "Do not use `zypper dist-upgrade`.",
        rationale: "A distribution upgrade inside an image belongs in a new base image.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3035",
        triggeringExamples: ["FROM opensuse/leap:15.5\n↓RUN zypper dist-upgrade -y\n"],
        nonTriggeringExamples: ["FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["zypper"]) { $0.isCommand("zypper", withAnyArgument: ["dist-upgrade", "dup"]) }
    }
}
