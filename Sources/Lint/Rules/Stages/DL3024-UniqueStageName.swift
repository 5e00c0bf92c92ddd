import DockerfileSyntax

/// DL3024: duplicate stage names.
struct UniqueStageNameRule: LintRule {
    static let description = RuleDescription(
        code: "DL3024", origin: .hadolint, category: .stages, name: "unique-stage-name", severity: .error,
        summary: "FROM aliases (stage names) must be unique",
        rationale: "BuildKit refuses a Dockerfile with two stages of the same name.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3024",
        triggeringExamples: ["FROM debian:12 AS a\n↓FROM debian:12 AS a\n"],
        nonTriggeringExamples: ["FROM debian:12 AS a\nFROM debian:12 AS b\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var names = Set<String>()
        return reportInstructions(in: file, of: .from) { instruction in
            guard let name = FromInstruction(instruction)?.stageName?.text else { return false }
            return !names.insert(name.lowercased()).inserted
        }
    }
}
