import DockerfileSyntax

/// DL3015: apt-get install without --no-install-recommends.
struct AptNoInstallRecommendsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3015", origin: .hadolint, category: .apt, name: "apt-no-install-recommends", severity: .info,
        summary: "Avoid additional packages by specifying `--no-install-recommends`",
        rationale: "Recommended packages can double an image's size and are rarely needed in containers.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3015",
        triggeringExamples: [RuleExample("FROM debian:12\n↓RUN apt-get install -y curl=1\n",
                                         fixed: "FROM debian:12\nRUN apt-get install --no-install-recommends -y curl=1\n")],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y --no-install-recommends curl=1\n",
                                "FROM debian:12\nRUN apt-get -o APT::Install-Recommends=false install -y curl=1\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(named: "apt-get").compactMap { located in
            let command = located.command
            guard command.isAptGetInstall else { return nil }
            if command.hasFlag("no-install-recommends") || command.argumentValues.contains("APT::Install-Recommends=false") {
                return nil
            }
            // Unsafe: a package may need what it recommends.
            let fix = command.arguments.first { $0.value == "install" }.flatMap {
                file.insertion(" --no-install-recommends", after: $0, in: located, summary: "add --no-install-recommends", applicability: .unsafe)
            }
            return finding(description.summary, at: file.instructionRange(through: located), fix: fix)
        }
    }
}
