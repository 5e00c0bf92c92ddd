import DockerfileSyntax

/// DL4003 and DL4004: more than one CMD or ENTRYPOINT in a stage.
struct MultipleCommandRule: LintRule {
    let description: RuleDescription
    let kind: InstructionKind

    static let cmd = MultipleCommandRule(kind: .cmd, description: RuleDescription(
        code: "DL4003", name: "multiple-cmd", severity: .warning,
        summary: "Multiple `CMD` instructions found. If you list more than one `CMD` then only the last `CMD` will take effect",
        rationale: "Only the last CMD of a stage takes effect.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4003",
        triggeringExamples: ["FROM debian:12\nCMD a\n↓CMD b\n"],
        nonTriggeringExamples: ["FROM debian:12\nCMD a\nFROM debian:12\nCMD b\n"]))

    static let entrypoint = MultipleCommandRule(kind: .entrypoint, description: RuleDescription(
        code: "DL4004", name: "multiple-entrypoint", severity: .error,
        summary: "Multiple `ENTRYPOINT` instructions found. If you list more than one `ENTRYPOINT` then only the last `ENTRYPOINT` will take effect",
        rationale: "Only the last ENTRYPOINT of a stage takes effect.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4004",
        triggeringExamples: ["FROM debian:12\nENTRYPOINT [\"a\"]\n↓ENTRYPOINT [\"b\"]\n"],
        nonTriggeringExamples: ["FROM debian:12\nENTRYPOINT [\"a\"]\n"]))

    init(kind: InstructionKind, description: RuleDescription) {
        self.kind = kind
        self.description = description
    }

    func check(_ file: LintedFile) -> [Finding] {
        var seen = false
        return reportInstructions(in: file, of: .from, kind) { instruction in
            if instruction.kind == .from { seen = false }
            guard instruction.kind == kind else { return false }
            defer { seen = true }
            return seen
        }
    }
}
