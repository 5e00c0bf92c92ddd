import DockerfileSyntax
import Shell

/// DL3036: zypper clean missing.
struct ZypperCleanRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3036", origin: .hadolint, category: .packages, name: "zypper-clean", severity: .warning,
        summary: "`zypper clean` missing after zypper use.",
        rationale: "zypper's cache stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3036",
        triggeringExamples: ["FROM opensuse/leap:15.5\n↓RUN zypper install -y httpd=2.4\n"],
        nonTriggeringExamples: ["FROM opensuse/leap:15.5\nRUN zypper install -y httpd=2.4 && zypper clean\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let install = { (command: ShellCommand) in command.isCommand("zypper", withAnyArgument: ["install", "in"]) }
        let clean = { (command: ShellCommand) in command.isCommand("zypper", withAnyArgument: ["clean", "cc"]) }
        return reportRunScripts(in: file, running: ["zypper"]) { index, commands in
            commands.contains(where: install) && !hasCacheMount(file.effectiveInstruction(index), containing: "/var/cache/zypp")
                && !appearsBefore(commands, install, clean)
        }
    }
}
