import DockerfileSyntax

/// DL4004: more than one ENTRYPOINT in a stage (only the last takes effect).
struct MultipleEntrypointRule: LintRule {
    static let description = RuleDescription(
        code: "DL4004", origin: .hadolint, category: .instructions, name: "multiple-entrypoint", severity: .error,
        summary: "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
        rationale: "Only the last ENTRYPOINT of a stage takes effect.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4004",
        triggeringExamples: ["FROM debian:12\nENTRYPOINT [\"a\"]\n↓ENTRYPOINT [\"b\"]\n"],
        nonTriggeringExamples: ["FROM debian:12\nENTRYPOINT [\"a\"]\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRepeated(.entrypoint, in: file)
    }
}
