import DockerfileSyntax

/// DL4000 (BuildKit: MaintainerDeprecated): MAINTAINER is deprecated.
struct MaintainerDeprecatedRule: LintRule {
    static let description = RuleDescription(
        code: "DL4000", origin: .hadolint, category: .instructions, name: "maintainer-deprecated", severity: .error,
        summary: "MAINTAINER is deprecated",
        rationale: "Use `LABEL org.opencontainers.image.authors=…` instead; MAINTAINER is ignored by modern tooling, and BuildKit warns about it during builds.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4000",
        triggeringExamples: ["FROM a:1\n↓MAINTAINER me@example.com\n", "FROM alpine\n↓maintainer moby@example.com\n"],
        nonTriggeringExamples: ["FROM a:1\nLABEL org.opencontainers.image.authors=\"me@example.com\"\n"],
        aliases: ["MaintainerDeprecated"])

    func check(_ file: LintedFile) -> [Finding] {
        file.instructionIndices(of: .maintainer).map { file.instructions[$0] }.map { finding(description.summary, at: $0.keyword.range) }
    }
}
