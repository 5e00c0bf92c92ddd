import DockerfileSyntax

/// BuildKit check ReservedStageName.
struct ReservedStageNameCheck: LintRule {
    static let description = RuleDescription(
        code: "ReservedStageName", origin: .buildkit, category: .stages, name: "reserved-stage-name", severity: .warning,
        summary: "Reserved words should not be used as stage names",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/reserved-stage-name/",
        triggeringExamples: ["↓FROM alpine AS scratch\n↓FROM alpine AS context\n"],
        nonTriggeringExamples: ["FROM alpine AS builder\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let name = stage.name?.lowercased(), name == "scratch" || name == "context" else { return nil }
            return finding("Stage name should not use the same name as reserved stage \(goQuoted(name))", at: stage.from.instruction.keyword.range)
        }
    }
}
