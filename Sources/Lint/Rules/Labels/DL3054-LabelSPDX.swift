import DockerfileSyntax

/// DL3054: Label is not a valid SPDX license identifier. (with `label-schema` configured).
struct LabelSPDXRule: LintRule {
    static let description = RuleDescription(
        code: "DL3054", origin: .hadolint, category: .labels, name: "label-spdx", severity: .warning, summary: "Label is not a valid SPDX license identifier.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3054",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL license=\"my license\"\n", schema: ["license": "spdx"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL license=MIT\n", schema: ["license": "spdx"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("spdx"), rule: self)
    }
}
