import DockerfileSyntax

/// DL4005: linking /bin/sh instead of using SHELL.
struct UseShellInstructionRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL4005", origin: .hadolint, category: .shell, name: "use-shell-instruction", severity: .warning,
        summary: "Use SHELL to change the default shell",
        rationale: "Replacing /bin/sh changes the shell for everything in the image; SHELL changes it for the build only.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4005",
        triggeringExamples: ["FROM debian:12\n↓RUN ln -sf /bin/bash /bin/sh\n"],
        nonTriggeringExamples: ["FROM debian:12\nSHELL [\"/bin/bash\", \"-c\"]\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["ln"]) { $0.isCommand("ln", withAnyArgument: ["/bin/sh"]) }
    }
}
