import DockerfileSyntax

/// DL3025: CMD/ENTRYPOINT in shell form.
struct JSONCommandFormRule: LintRule {
    static let description = RuleDescription(
        code: "DL3025", origin: .hadolint, category: .instructions, name: "json-command-form", severity: .warning,
        summary: "Use arguments JSON notation for CMD and ENTRYPOINT arguments",
        rationale: "In shell form the process runs under /bin/sh -c and does not get signals such as SIGTERM.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3025",
        triggeringExamples: ["FROM debian:12\n↓CMD nginx -g 'daemon off;'\n",
                             RuleExample("FROM python:3.12\n↓CMD python3 -m http.server 8000\n", fixed: "FROM python:3.12\nCMD [\"python3\", \"-m\", \"http.server\", \"8000\"]\n")],
        nonTriggeringExamples: ["FROM debian:12\nCMD [\"nginx\", \"-g\", \"daemon off;\"]\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .cmd, .entrypoint, .healthcheck).compactMap { index -> Finding? in
            let instruction = file.instructions[index]
            switch instruction.kind {
            case .cmd, .entrypoint:
                guard !instruction.isJSON && !instruction.values.isEmpty else { return nil }
                return finding(description.summary, at: instruction.keyword.range, fix: file.execFormFix(instruction))
            case .healthcheck:
                guard let check = HealthcheckInstruction(instruction), case .shell = check.command else { return nil }
                return finding(description.summary, at: instruction.keyword.range)
            default:
                return nil
            }
        }
    }
}
