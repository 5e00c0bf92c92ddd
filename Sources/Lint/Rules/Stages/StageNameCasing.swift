import DockerfileSyntax

/// BuildKit check StageNameCasing.
struct StageNameCasingCheck: LintRule {
    static let description = RuleDescription(
        code: "StageNameCasing", origin: .buildkit, category: .stages, name: "stage-name-casing", severity: .warning,
        summary: "Stage names should be lowercase",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/stage-name-casing/",
        triggeringExamples: ["↓FROM alpine AS BuilderBase\n"],
        nonTriggeringExamples: ["FROM alpine AS builder-base\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let name = stage.from.stageName, name.text != name.text.lowercased() else { return nil }
            return finding("Stage name '\(name.text)' should be lowercase", at: stage.from.instruction.keyword.range)
        }
    }
}
