import DockerfileSyntax

/// DL3004: sudo in RUN.
struct NoSudoRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3004", origin: .hadolint, category: .shell, name: "no-sudo", severity: .error,
        summary: "Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root",
        rationale: "Builds run as the USER set; sudo adds a TTY and PAM dependency and hides privilege changes.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3004",
        triggeringExamples: ["FROM debian:12\n↓RUN sudo apt-get update\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y sudo\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["sudo"]) { $0.name.value == "sudo" }
    }
}
