import DockerfileSyntax

/// DK202: apt-key is deprecated.
struct AptKeyDeprecatedRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK202", origin: .dockerkit, category: .apt, name: "apt-key-deprecated", severity: .warning,
        summary: "apt-key is deprecated: put the key in /etc/apt/keyrings and name it with signed-by",
        rationale: """
            apt-key trusts a key for every repository and is gone from Debian 12 and Ubuntu 24.04. Store the key \
            in /etc/apt/keyrings/NAME.gpg and add `[signed-by=/etc/apt/keyrings/NAME.gpg]` to the source line.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK202.md",
        triggeringExamples: ["FROM ubuntu:20.04\nRUN curl -fsSL https://example.com/key.gpg | ↓apt-key add -\n",
                             "FROM ubuntu:20.04\nRUN ↓apt-key adv --keyserver keyserver.ubuntu.com --recv-keys ABC\n"],
        nonTriggeringExamples: ["FROM ubuntu:20.04\nRUN curl -fsSL https://example.com/key.gpg | gpg --dearmor -o /etc/apt/keyrings/x.gpg\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(named: "apt-key").compactMap { located in
            located.command.isCommand("apt-key", withAnyArgument: ["add", "adv"])
                ? finding(description.summary, at: file.range(of: located)) : nil
        }
    }
}
