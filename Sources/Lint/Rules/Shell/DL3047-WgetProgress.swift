import DockerfileSyntax

/// DL3047: wget without a progress setting.
struct WgetProgressRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3047", origin: .hadolint, category: .shell, name: "wget-progress", severity: .info,
        summary: "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
        rationale: "wget's default progress bar floods build logs.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3047",
        triggeringExamples: [RuleExample("FROM debian:12\n↓RUN wget https://example.com/x.tgz\n",
                                         fixed: "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/x.tgz\n")],
        nonTriggeringExamples: ["FROM debian:12\nRUN wget -q https://example.com/x.tgz\n", "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/x.tgz\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        let quiet = file.commands(named: ["wget"]).filter { located in
            let command = located.command
            return command.name.value == "wget"
                && !(command.hasFlag("progress") || command.hasAnyFlag(["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"])
                     || command.argumentValues.contains("-nv"))
        }
        // One finding per RUN, whose fix covers every wget of it.
        var findings: [Finding] = []
        var start = quiet.startIndex
        while start < quiet.endIndex {
            let index = quiet[start].instructionIndex
            let end = quiet[start...].firstIndex { $0.instructionIndex != index } ?? quiet.endIndex
            let fix = file.combined(quiet[start..<end].map { located in
                file.insertion(" --progress=dot:giga", after: located.command.name, in: located, summary: "add --progress=dot:giga")
            }, summary: "add --progress=dot:giga")
            findings.append(finding(description.summary, at: file.instructionRange(through: quiet[start]), fix: fix))
            start = end
        }
        return findings
    }
}
