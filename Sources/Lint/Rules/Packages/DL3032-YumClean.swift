import DockerfileSyntax
import Shell

/// DL3032: yum clean all missing.
struct YumCleanRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3032", origin: .hadolint, category: .packages, name: "yum-clean", severity: .warning,
        summary: "`yum clean all` missing after yum command.",
        rationale: "yum's cache stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3032",
        triggeringExamples: ["FROM centos:7\n↓RUN yum install -y httpd-2.4.6\n"],
        nonTriggeringExamples: ["FROM centos:7\nRUN yum install -y httpd-2.4.6 && yum clean all\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let install = { (command: ShellCommand) in command.isCommand("yum", withAnyArgument: ["install"]) }
        let clean = { (command: ShellCommand) in
            command.isCommand("yum", withAnyArgument: ["clean", "all"]) || command.isCommand("rm", withAnyArgument: ["-rf", "/var/cache/yum/*"])
        }
        return reportRunScripts(in: file, running: ["yum"]) { _, commands in
            commands.contains(where: install) && !appearsBefore(commands, install, clean)
        }
    }
}
