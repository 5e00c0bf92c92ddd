import DockerfileSyntax

/// BuildKit check MaintainerDeprecated.
struct MaintainerDeprecatedCheck: LintRule {
    static let description = RuleDescription(
        code: "MaintainerDeprecated", origin: .buildkit, category: .instructions, name: "maintainer-deprecated", severity: .warning,
        summary: "The MAINTAINER instruction is deprecated, use a label instead to define an image author",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/maintainer-deprecated/",
        triggeringExamples: ["FROM alpine\n↓MAINTAINER moby@example.com\n"],
        nonTriggeringExamples: ["FROM alpine\nLABEL org.opencontainers.image.authors=\"moby@example.com\"\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .maintainer).map { file.instructions[$0] }.map { finding("Maintainer instruction is deprecated in favor of using label", at: $0.keyword.range) }
    }
}
