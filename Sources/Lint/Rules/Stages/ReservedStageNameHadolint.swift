import DockerfileSyntax

/// DL3063: reserved stage name.
struct ReservedStageNameHadolintRule: LintRule {
    static let description = RuleDescription(
        code: "DL3063", origin: .hadolint, category: .stages, name: "reserved-stage-name", severity: .warning,
        summary: "stage name should not be a reserved word",
        rationale: "`scratch` and `context` have meanings of their own in FROM and COPY --from.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3063",
        triggeringExamples: ["↓FROM debian:12 AS scratch\n"],
        nonTriggeringExamples: ["FROM debian:12 AS build\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .from) { instruction in
            ["scratch", "context"].contains(FromInstruction(instruction)?.stageName?.text ?? "")
        }
    }
}
