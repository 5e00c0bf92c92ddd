import DockerfileSyntax

/// DL3052: Label is not a valid URL. (with `label-schema` configured).
struct LabelURLRule: LintRule {
    static let description = RuleDescription(
        code: "DL3052", origin: .hadolint, category: .labels, name: "label-url", severity: .warning, summary: "Label is not a valid URL.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3052",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL home=nowhere\n", schema: ["home": "url"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL home=https://example.com\n", schema: ["home": "url"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("url"), rule: self)
    }
}
