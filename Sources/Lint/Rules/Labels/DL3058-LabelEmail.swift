import DockerfileSyntax

/// DL3058: Label is not a valid email format - must conform to RFC5322. (with `label-schema` configured).
struct LabelEmailRule: LintRule {
    static let description = RuleDescription(
        code: "DL3058", origin: .hadolint, category: .labels, name: "label-email", severity: .warning, summary: "Label is not a valid email format - must conform to RFC5322.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3058",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL author=nobody\n", schema: ["author": "email"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL author=a@example.com\n", schema: ["author": "email"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("email"), rule: self)
    }
}
