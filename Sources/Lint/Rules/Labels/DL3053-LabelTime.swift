import DockerfileSyntax

/// DL3053: Label is not a valid time format - must conform to RFC3339. (with `label-schema` configured).
struct LabelTimeRule: LintRule {
    static let description = RuleDescription(
        code: "DL3053", origin: .hadolint, category: .labels, name: "label-time", severity: .warning, summary: "Label is not a valid time format - must conform to RFC3339.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3053",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL created=yesterday\n", schema: ["created": "rfc3339"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL created=2024-01-02T03:04:05Z\n", schema: ["created": "rfc3339"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("rfc3339"), rule: self)
    }
}
