import DockerfileSyntax

/// DL3058: Label is not a valid email format - must conform to RFC5322. (with `label-schema` configured).
struct LabelEmailRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3058", name: "label-email", severity: .warning, summary: "Label is not a valid email format - must conform to RFC5322.",
        triggering: "FROM debian:12\n↓LABEL author=nobody\n", clean: "FROM debian:12\nLABEL author=a@example.com\n", schema: ["author": "email"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("email"), rule: self)
    }
}
