import DockerfileSyntax

/// DL3059: consecutive RUN instructions that could be one.
struct ConsecutiveRunRule: LintRule {
    static let description = RuleDescription(
        code: "DL3059", origin: .hadolint, category: .shell, name: "consecutive-run", severity: .info,
        summary: "Multiple consecutive `RUN` instructions. Consider consolidation.",
        rationale: "Each RUN is a layer; short consecutive RUNs are cheaper as one.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3059",
        triggeringExamples: ["FROM debian:12\nRUN mkdir /a\n↓RUN mkdir /b\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN mkdir /a && mkdir /b\n",
                                "FROM debian:12\nRUN mkdir /a && chmod 700 /a && chown 1 /a\nRUN mkdir /b\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var previous: (flags: [String], count: Int)?
        var findings: [Finding] = []
        var lastRun = -2
        for index in file.instructionIndices(of: .run) {
            // Any other instruction between two RUNs separates them.
            if index != lastRun + 1 { previous = nil }
            lastRun = index
            let instruction = file.instructions[index]
            let flags = instruction.flags.map(\.text).sorted()
            // hadolint counts each command twice (ShellCheck's AST holds it under its redirection node too), so its
            // "at most 2" means at most one command.
            let count = file.commands(of: index).count
            if let last = previous, last.flags == flags, count <= 1, last.count <= 1 {
                findings.append(finding(description.summary, at: instruction.keyword.range))
            } else {
                previous = (flags, count)
            }
        }
        return findings
    }
}
