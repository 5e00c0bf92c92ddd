import DockerfileSyntax

/// DL3021: COPY of several sources to a destination without a trailing slash.
struct CopyDestinationSlashRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3021", origin: .hadolint, category: .instructions, name: "copy-destination-slash", severity: .error,
        summary: "COPY with more than 2 arguments requires the last argument to end with /",
        rationale: "Several sources can only be copied into a directory; the build fails otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3021",
        triggeringExamples: ["FROM debian:12\n↓COPY a b /dst\n"],
        nonTriggeringExamples: ["FROM debian:12\nCOPY a b /dst/\n", "FROM debian:12\nCOPY a /dst\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .copy) { instruction in
            guard instruction.kind == .copy, let copy = CopyInstruction(instruction), copy.sources.count > 1 else { return false }
            return !(droppingQuotes(copy.destination?.text ?? "").hasSuffix("/"))
        }
    }
}
