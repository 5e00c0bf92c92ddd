import DockerfileSyntax

/// DL3067: COPY --from=stage / /.
struct CopyWholeFilesystemRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3067", origin: .hadolint, category: .instructions, name: "copy-whole-filesystem", severity: .warning,
        summary: "Do not copy an entire filesystem from another stage",
        rationale: "Copying / drags the other stage's whole OS into this one.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3067",
        triggeringExamples: ["FROM debian:12 AS build\nFROM scratch\n↓COPY --from=build / /\n"],
        nonTriggeringExamples: ["FROM debian:12 AS build\nFROM scratch\nCOPY --from=build /app /app\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .copy) { instruction in
            guard instruction.kind == .copy, instruction.flag("from") != nil, let copy = CopyInstruction(instruction) else { return false }
            return copy.sources.contains { droppingQuotes($0.text) == "/" } && droppingQuotes(copy.destination?.text ?? "") == "/"
        }
    }
}
