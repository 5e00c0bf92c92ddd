import DockerfileSyntax

/// DL3043: ONBUILD ONBUILD/FROM/MAINTAINER.
struct OnbuildTriggerRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3043", origin: .hadolint, category: .instructions, name: "onbuild-trigger", severity: .error,
        summary: "`ONBUILD`, `FROM` or `MAINTAINER` triggered from within `ONBUILD` instruction.",
        rationale: "BuildKit refuses these triggers.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3043",
        triggeringExamples: ["FROM debian:12\n↓ONBUILD FROM debian:12\n"],
        nonTriggeringExamples: ["FROM debian:12\nONBUILD RUN make\n"],
        isRefusedByBuildKit: true)

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .onbuild) { instruction in
            guard let trigger = instruction.trigger else { return false }
            return [.onbuild, .from, .maintainer].contains(trigger.kind)
        }
    }
}
