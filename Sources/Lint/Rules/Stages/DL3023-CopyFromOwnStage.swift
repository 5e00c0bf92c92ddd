import DockerfileSyntax

/// DL3023: COPY --from naming its own stage.
struct CopyFromOwnStageRule: LintRule {
    static let description = RuleDescription(
        code: "DL3023", origin: .hadolint, category: .stages, name: "copy-from-own-stage", severity: .error,
        summary: "`COPY --from` cannot reference its own `FROM` alias",
        rationale: "A stage cannot copy from itself; the build fails.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3023",
        triggeringExamples: ["FROM debian:12 AS app\n↓COPY --from=app /a /b\n"],
        nonTriggeringExamples: ["FROM debian:12 AS build\nFROM debian:12 AS app\nCOPY --from=build /a /b\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var current: String?
        return reportInstructions(in: file, of: .from, .copy) { instruction in
            if instruction.kind == .from {
                current = FromInstruction(instruction)?.stageName?.text.lowercased()
                return false
            }
            guard instruction.kind == .copy, let source = instruction.flag("from")?.value, let current else { return false }
            return droppingQuotes(source).lowercased() == current
        }
    }
}
