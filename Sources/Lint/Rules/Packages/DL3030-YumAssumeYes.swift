import DockerfileSyntax

/// DL3030: yum install without -y.
struct YumAssumeYesRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3030", origin: .hadolint, category: .packages, name: "yum-assume-yes", severity: .warning,
        summary: "Use the -y switch to avoid manual input `yum install -y <package>`",
        rationale: "Without -y, yum waits for an answer that never comes.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3030",
        triggeringExamples: ["FROM centos:7\n↓RUN yum install httpd-2.4.6\n"],
        nonTriggeringExamples: ["FROM centos:7\nRUN yum install -y httpd-2.4.6\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["yum"]) { command in
            command.isCommand("yum", withAnyArgument: ["install", "groupinstall", "localinstall"]) && !command.hasAnyFlag(["y", "assumeyes"])
        }
    }
}
