import DockerfileSyntax

/// DL3008: apt-get install without pinned versions.
struct AptPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3008", origin: .hadolint, category: .apt, name: "apt-pin-versions", severity: .warning,
        summary: "Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`",
        rationale: "Unpinned packages make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3008",
        triggeringExamples: ["FROM debian:12\n↓RUN apt-get install -y curl\n",
                             "FROM debian:12\n↓RUN apt-get update && apt-get install -y --no-install-recommends git=1:2.39 curl\n",
                             "FROM debian:12\n↓RUN <<EOF\napt-get install -y curl\nEOF\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y curl=7.88.1-10\n",
                                "FROM debian:12\nRUN apt-get install -y ./local.deb\n",
                                "FROM debian:12\nRUN apt-get install -y -t bookworm-backports foo=1\n"])

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(named: "apt-get").compactMap { located in
            guard located.command.isAptGetInstall else { return nil }
            let unpinned = located.command.aptPackages.filter { package in
                !(package.value.contains("=") || package.value.contains("/") || package.value.hasSuffix(".deb"))
            }
            guard !unpinned.isEmpty else { return nil }
            return finding(description.summary, at: file.instructionRange(through: located))
        }
    }
}
