import DockerfileSyntax

/// BuildKit check NoEmptyContinuation.
struct NoEmptyContinuationCheck: LintRule {
    static let description = RuleDescription(
        code: "NoEmptyContinuation", origin: .buildkit, category: .instructions, name: "no-empty-continuation", severity: .warning,
        summary: "Empty continuation lines will become errors in a future release",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/no-empty-continuation/",
        triggeringExamples: ["FROM alpine\nEXPOSE \\\n\n↓80\n"],
        nonTriggeringExamples: ["FROM alpine\nEXPOSE \\\n# Port\n80\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.tree.warnings.map { finding("Empty continuation line", at: $0.range) }
    }
}
