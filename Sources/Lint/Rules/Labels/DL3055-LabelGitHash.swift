import DockerfileSyntax

/// DL3055: Label is not a valid git hash. (with `label-schema` configured).
struct LabelGitHashRule: LintRule {
    static let description = LabelSchema.description(
        code: "DL3055", name: "label-git-hash", severity: .warning, summary: "Label is not a valid git hash.",
        triggering: "FROM debian:12\n↓LABEL revision=xyz\n", clean: "FROM debian:12\nLABEL revision=0123456789abcdef0123456789abcdef01234567\n", schema: ["revision": "hash"])

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("hash"), rule: self)
    }
}
