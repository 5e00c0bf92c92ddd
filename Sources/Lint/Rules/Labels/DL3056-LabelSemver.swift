import DockerfileSyntax

/// DL3056: Label does not conform to semantic versioning. (with `label-schema` configured).
struct LabelSemverRule: LintRule {
    static let description = RuleDescription(
        code: "DL3056", origin: .hadolint, category: .labels, name: "label-semver", severity: .warning, summary: "Label does not conform to semantic versioning.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3056",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL version=one\n", schema: ["version": "semver"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL version=1.2.3\n", schema: ["version": "semver"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("semver"), rule: self)
    }
}
