import DockerfileSyntax

/// DL3057: no HEALTHCHECK (off unless enabled).
struct HealthcheckMissingRule: LintRule {
    static let description = RuleDescription(
        code: "DL3057", origin: .hadolint, category: .instructions, name: "healthcheck-missing", severity: .info,
        summary: "`HEALTHCHECK` instruction missing.",
        rationale: "A HEALTHCHECK lets the engine and orchestrators see a hung service.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3057",
        triggeringExamples: ["↓FROM debian:12\nCMD [\"sleep\", \"1\"]\n"],
        nonTriggeringExamples: ["FROM debian:12\nHEALTHCHECK CMD true\n"],
        isOptIn: true)

    func check(_ file: LintedFile) -> [Finding] {
        guard let last = file.stages.last else { return [] }
        var stage: Stage? = last
        while let current = stage {
            if current.instructionIndices.contains(where: { file.instructions[$0].kind == .healthcheck }) { return [] }
            stage = current.parentStage.map { file.stages[$0] }
        }
        return [finding(description.summary, at: last.from.instruction.keyword.range)]
    }
}
