import DockerfileSyntax
import Shell

/// DK002: a RUN script nested too deeply for the shell reader, so no command rule has checked it.
struct ShellTooDeeplyNestedRule: LintRule {
    static let description = RuleDescription(
        code: "DK002", origin: .dockerkit, category: .shell, name: "shell-too-deeply-nested", severity: .warning,
        summary: "The RUN script nests commands too deeply to be checked",
        rationale: """
            $(…), backquotes, subshells and sh -c bodies nested more than \(ShellScript.nestingLimit) deep are not read, \
            so that no file can make the linter's time or stack grow without bound; the rules about commands have not \
            looked inside this script. Flatten it (functions, or a script file copied in).
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK002.md",
        triggeringExamples: [
            RuleExample("FROM debian:12\n↓RUN echo " + String(repeating: "$(echo ", count: 70) + "x" + String(repeating: ")", count: 70) + "\n"),
            RuleExample("FROM debian:12\n↓RUN " + String(repeating: "( ", count: 70) + "true" + String(repeating: " )", count: 70) + "\n"),
        ],
        nonTriggeringExamples: [
            "FROM debian:12\nRUN echo \"$(dirname \"$(readlink -f \"$(command -v python3)\")\")\"\n",
            "FROM debian:12\nRUN sh -c 'bash -c \"(cd /tmp && ls)\"'\n",
        ])

    func check(_ file: LintedFile) -> [Finding] {
        file.runInstructionIndices.compactMap { index in
            file.scriptFacts[index].contains(.isTooDeeplyNested)
                ? finding(description.summary + " (more than \(ShellScript.nestingLimit) levels)", at: file.instructions[index].keyword.range) : nil
        }
    }
}
