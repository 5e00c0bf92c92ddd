import DockerfileSyntax

/// DL3045: COPY to a relative destination without WORKDIR.
struct CopyRelativeWithoutWorkdirRule: LintRule {
    static let description = RuleDescription(
        code: "DL3045", origin: .hadolint, category: .instructions, name: "copy-relative-without-workdir", severity: .warning,
        summary: "`COPY` to a relative destination without `WORKDIR` set.",
        rationale: "The destination then depends on the base image's WORKDIR.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3045",
        triggeringExamples: ["FROM debian:12\n↓COPY a app/\n"],
        nonTriggeringExamples: ["FROM debian:12\nWORKDIR /srv\nCOPY a app/\n", "FROM debian:12\nCOPY a /app/\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var withWorkdir = Set<Int>()
        var beforeStages = false
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .from, .workdir, .copy) {
            let instruction = file.instructions[index]
            let stage = file.stageOfInstruction[index]
            if instruction.kind == .from, let stage {
                if let parent = file.stages[stage].parentStage, withWorkdir.contains(parent) { withWorkdir.insert(stage) }
                continue
            }
            if instruction.kind == .workdir {
                if let stage { withWorkdir.insert(stage) } else { beforeStages = true }
                continue
            }
            guard instruction.kind == .copy, let destination = CopyInstruction(instruction)?.destination else { continue }
            if let stage, withWorkdir.contains(stage) { continue }
            if stage == nil && beforeStages { continue }
            let path = droppingQuotes(destination.text)
            if path.hasPrefix("/") || isWindowsAbsolute(path) || path.hasPrefix("$") { continue }
            findings.append(finding(description.summary, at: instruction.keyword.range))
        }
        return findings
    }
}
