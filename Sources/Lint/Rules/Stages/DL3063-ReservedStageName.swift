import Support
import DockerfileSyntax

/// DL3063 (BuildKit: ReservedStageName): a stage named `scratch` or `context`.
struct ReservedStageNameRule: LintRule {
    static let description = RuleDescription(
        code: "DL3063", origin: .hadolint, category: .stages, name: "reserved-stage-name", severity: .warning,
        summary: "stage name should not be a reserved word",
        rationale: "`scratch` and `context` have meanings of their own in FROM and COPY --from; BuildKit compares stage names without case.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3063",
        triggeringExamples: ["↓FROM debian:12 AS scratch\n", "↓FROM alpine AS Context\n"],
        nonTriggeringExamples: ["FROM debian:12 AS build\n"],
        aliases: ["ReservedStageName"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let name = stage.name?.lowercased(), name == "scratch" || name == "context" else { return nil }
            return finding("Stage name should not use the same name as reserved stage \(Quoting.go(name))", at: stage.from.instruction.keyword.range)
        }
    }
}
