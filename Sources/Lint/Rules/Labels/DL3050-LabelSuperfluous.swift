import DockerfileSyntax

/// DL3050: Superfluous label(s) present. (with `label-schema` configured).
struct LabelSuperfluousRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3050", name: "label-superfluous", severity: .info, summary: "Superfluous label(s) present.",
        triggering: "FROM debian:12\n↓LABEL author=me other=x\n", clean: "FROM debian:12\nLABEL author=me\n", schema: ["author": "text"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .superfluous, rule: self)
    }
}
