import DockerfileSyntax

/// DL3050: Superfluous label(s) present. (with `label-schema` configured).
struct LabelSuperfluousRule: LintRule {
    static let description = RuleDescription(
        code: "DL3050", origin: .hadolint, category: .labels, name: "label-superfluous", severity: .info, summary: "Superfluous label(s) present.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3050",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL author=me other=x\n", schema: ["author": "text"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL author=me\n", schema: ["author": "text"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .superfluous, rule: self)
    }
}
