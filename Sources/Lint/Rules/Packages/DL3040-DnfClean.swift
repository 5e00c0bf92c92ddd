import DockerfileSyntax
import Shell

/// DL3040: dnf clean all missing.
struct DnfCleanRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3040", origin: .hadolint, category: .packages, name: "dnf-clean", severity: .warning,
        summary: "`dnf clean all` missing after dnf command.",
        rationale: "dnf's cache stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3040",
        triggeringExamples: ["FROM fedora:40\n↓RUN dnf install -y httpd-2.4.6\n"],
        nonTriggeringExamples: ["FROM fedora:40\nRUN dnf install -y httpd-2.4.6 && dnf clean all\n"])

    static let installVerbs = ["install", "in", "upgrade", "up", "upgrade-minimal", "up-min", "reinstall", "rei"]

    func check(_ file: LintedFile) -> [Finding] {
        reportRunScripts(in: file, running: ["dnf", "microdnf"]) { index, commands in
            let instruction = file.effectiveInstruction(index)
            if hasCacheMount(instruction, containing: "/var/cache/libdnf5") || hasCacheMount(instruction, containing: ".cache/libdnf5") { return false }
            for name in ["dnf", "microdnf"] {
                let install = { (command: ShellCommand) in command.isCommand(name, withAnyArgument: Self.installVerbs) }
                let clean = { (command: ShellCommand) in
                    command.isCommand(name, withAnyArgument: ["clean", "all"]) || command.isCommand("rm", withAnyArgument: ["-rf", "/var/cache/libdnf5*"])
                }
                if commands.contains(where: install) && !appearsBefore(commands, install, clean) { return true }
            }
            return false
        }
    }
}
