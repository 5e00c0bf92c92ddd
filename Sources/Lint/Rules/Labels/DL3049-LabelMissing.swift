import DockerfileSyntax

/// DL3049: Label is missing. (with `label-schema` configured).
struct LabelMissingRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3049", name: "label-missing", severity: .info, summary: "Label is missing.",
        triggering: "↓FROM debian:12\n", clean: "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .missing, rule: self)
    }
}
