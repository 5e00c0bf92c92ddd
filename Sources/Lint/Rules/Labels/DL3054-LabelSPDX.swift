import DockerfileSyntax

/// DL3054: Label is not a valid SPDX license identifier. (with `label-schema` configured).
struct LabelSPDXRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3054", name: "label-spdx", severity: .warning, summary: "Label is not a valid SPDX license identifier.",
        triggering: "FROM debian:12\n↓LABEL license=\"my license\"\n", clean: "FROM debian:12\nLABEL license=MIT\n", schema: ["license": "spdx"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("spdx"), rule: self)
    }
}
