import DockerfileSyntax

/// DL3012: more than one HEALTHCHECK in a stage.
struct MultipleHealthcheckRule: LintRule {
    static let description = RuleDescription(
        code: "DL3012", origin: .hadolint, category: .instructions, name: "multiple-healthcheck", severity: .error,
        summary: "Multiple `HEALTHCHECK` instructions",
        rationale: "Only the last HEALTHCHECK takes effect.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3012",
        triggeringExamples: ["FROM debian:12\nHEALTHCHECK CMD true\n↓HEALTHCHECK CMD false\n"],
        nonTriggeringExamples: ["FROM debian:12\nHEALTHCHECK CMD true\nFROM debian:12\nHEALTHCHECK CMD true\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var seen = false
        return reportInstructions(in: file, of: .from, .healthcheck) { instruction in
            if instruction.kind == .from { seen = false }
            guard instruction.kind == .healthcheck else { return false }
            defer { seen = true }
            return seen
        }
    }
}
