import DockerfileSyntax

/// DL3049: Label is missing. (with `label-schema` configured).
struct LabelMissingRule: LintRule {
    static let description = RuleDescription(
        code: "DL3049", origin: .hadolint, category: .labels, name: "label-missing", severity: .info, summary: "Label is missing.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3049",
        triggeringExamples: LabelSchema.examples("↓FROM debian:12\n", schema: ["author": "text"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .missing, rule: self)
    }
}
