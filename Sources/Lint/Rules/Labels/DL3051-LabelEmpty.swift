import DockerfileSyntax

/// DL3051: Label is empty. (with `label-schema` configured).
struct LabelEmptyRule: LintRule {
    static let description = RuleDescription(
        code: "DL3051", origin: .hadolint, category: .labels, name: "label-empty", severity: .warning, summary: "Label is empty.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3051",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL author=\"\"\n", schema: ["author": "text"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .empty, rule: self)
    }
}
