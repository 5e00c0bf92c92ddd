import DockerfileSyntax

/// DL4003: more than one CMD in a stage (only the last takes effect).
struct MultipleCmdRule: LintRule {
    static let description = RuleDescription(
        code: "DL4003", origin: .hadolint, category: .instructions, name: "multiple-cmd", severity: .warning,
        summary: "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
        rationale: "Only the last CMD of a stage takes effect.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4003",
        triggeringExamples: ["FROM debian:12\nCMD a\n↓CMD b\n"],
        nonTriggeringExamples: ["FROM debian:12\nCMD a\nFROM debian:12\nCMD b\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRepeated(.cmd, in: file)
    }
}
