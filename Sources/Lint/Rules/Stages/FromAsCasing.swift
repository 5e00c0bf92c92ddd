import DockerfileSyntax

/// BuildKit check FromAsCasing.
struct FromAsCasingCheck: LintRule {
    static let description = RuleDescription(
        code: "FromAsCasing", origin: .buildkit, category: .stages, name: "from-as-casing", severity: .warning,
        summary: "The 'as' keyword should match the case of the 'from' keyword",
        rationale: "BuildKit reports this check during builds; dockerkit reports it offline, before the build.",
        documentation: "https://docs.docker.com/go/dockerfile/rule/from-as-casing/",
        triggeringExamples: ["↓FROM debian:latest as builder\n"],
        nonTriggeringExamples: ["FROM debian:latest AS deb-builder\n", "from debian:latest as deb-builder\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.stages.compactMap { stage -> Finding? in
            guard let asKeyword = stage.from.asKeyword else { return nil }
            let from = stage.from.instruction.keyword.text
            let fromIsUpper = from == from.uppercased()
            let mismatch = fromIsUpper ? asKeyword.text != asKeyword.text.uppercased() : asKeyword.text != asKeyword.text.lowercased()
            return mismatch ? finding("'\(asKeyword.text)' and '\(from)' keywords' casing do not match", at: stage.from.instruction.keyword.range) : nil
        }
    }
}
