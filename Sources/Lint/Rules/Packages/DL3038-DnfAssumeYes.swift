import DockerfileSyntax

/// DL3038: dnf install without -y.
struct DnfAssumeYesRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3038", origin: .hadolint, category: .packages, name: "dnf-assume-yes", severity: .warning,
        summary: "Use the -y switch to avoid manual input `dnf install -y <package>`",
        rationale: "Without -y, dnf waits for an answer that never comes.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3038",
        triggeringExamples: ["FROM fedora:40\n↓RUN dnf install httpd-2.4.6\n"],
        nonTriggeringExamples: ["FROM fedora:40\nRUN dnf install -y httpd-2.4.6\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["dnf", "microdnf"]) { command in
            command.isCommand("dnf", "microdnf", withAnyArgument: ["install", "groupinstall", "localinstall"]) && !command.hasAnyFlag(["y", "assumeyes"])
        }
    }
}
