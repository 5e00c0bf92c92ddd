import DockerfileSyntax

/// DL3055: Label is not a valid git hash. (with `label-schema` configured).
struct LabelGitHashRule: LintRule {
    static let description = RuleDescription(
        code: "DL3055", origin: .hadolint, category: .labels, name: "label-git-hash", severity: .warning, summary: "Label is not a valid git hash.",
        rationale: LabelSchema.rationale, documentation: "https://github.com/hadolint/hadolint/wiki/DL3055",
        triggeringExamples: LabelSchema.examples("FROM debian:12\n↓LABEL revision=xyz\n", schema: ["revision": "hash"]),
        nonTriggeringExamples: LabelSchema.examples("FROM debian:12\nLABEL revision=0123456789abcdef0123456789abcdef01234567\n", schema: ["revision": "hash"]))

    func check(_ file: LintedFile) -> [Finding] {
        LabelSchema.findings(in: file, checking: .format("hash"), rule: self)
    }
}
