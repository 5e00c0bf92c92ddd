import DockerfileSyntax

/// DL3027: `apt` instead of apt-get.
struct AptInsteadOfAptGetRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3027", origin: .hadolint, category: .apt, name: "apt-not-apt-get", severity: .warning,
        summary: "Do not use apt as it is meant to be an end-user tool, use apt-get or apt-cache instead",
        rationale: "apt's output and behaviour are not stable for scripts; apt-get's are.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3027",
        triggeringExamples: ["FROM debian:12\n↓RUN apt install -y curl\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y curl\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(named: "apt").compactMap { located in
            located.command.name.value == "apt" ? finding(description.summary, at: file.instructionRange(through: located)) : nil
        }
    }
}
