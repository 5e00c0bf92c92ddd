import DockerfileSyntax

/// DL3051: Label is empty. (with `label-schema` configured).
struct LabelEmptyRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3051", name: "label-empty", severity: .warning, summary: "Label is empty.",
        triggering: "FROM debian:12\n↓LABEL author=\"\"\n", clean: "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .empty, rule: self)
    }
}
