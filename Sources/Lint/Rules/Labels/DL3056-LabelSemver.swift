import DockerfileSyntax

/// DL3056: Label does not conform to semantic versioning. (with `label-schema` configured).
struct LabelSemverRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3056", name: "label-semver", severity: .warning, summary: "Label does not conform to semantic versioning.",
        triggering: "FROM debian:12\n↓LABEL version=one\n", clean: "FROM debian:12\nLABEL version=1.2.3\n", schema: ["version": "semver"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("semver"), rule: self)
    }
}
