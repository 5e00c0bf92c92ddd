import DockerfileSyntax

/// DL3052: Label is not a valid URL. (with `label-schema` configured).
struct LabelURLRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3052", name: "label-url", severity: .warning, summary: "Label is not a valid URL.",
        triggering: "FROM debian:12\n↓LABEL home=nowhere\n", clean: "FROM debian:12\nLABEL home=https://example.com\n", schema: ["home": "url"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("url"), rule: self)
    }
}
