import DockerfileSyntax

/// BuildKit check FromAsCasing.
struct FromAsCasingCheck: LintRule {
    static let description = RuleDescription(
        code: "FromAsCasing", origin: .buildkit, category: .stages, name: "from-as-casing", severity: .warning,
        summary: "The 'as' keyword should match the case of the 'from' keyword",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
        triggeringExamples: [RuleExample("↓FROM debian:latest as builder\n", fixed: "FROM debian:latest AS builder\n")],
        nonTriggeringExamples: ["FROM debian:latest AS deb-builder\n", "from debian:latest as deb-builder\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let asKeyword = stage.from.asKeyword else { return nil }
            let from = stage.from.instruction.keyword.text
            let fromIsUpper = from == from.uppercased()
            let mismatch = fromIsUpper ? asKeyword.text != asKeyword.text.uppercased() : asKeyword.text != asKeyword.text.lowercased()
            guard mismatch else { return nil }
            let fix = Fix(summary: "match AS to FROM's case",
                          edits: [TextEdit(offsets: asKeyword.range.offsets, replacement: fromIsUpper ? asKeyword.text.uppercased() : asKeyword.text.lowercased())])
            return finding("'\(asKeyword.text)' and '\(from)' keywords' casing do not match", at: stage.from.instruction.keyword.range, fix: fix)
        }
    }
}
