import DockerfileSyntax

/// DL3028: gem install without pinned versions.
struct GemPinVersionsRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3028", origin: .hadolint, category: .packages, name: "gem-pin-versions", severity: .warning,
        summary: "Pin versions in gem install. Instead of `gem install <gem>` use `gem install <gem>:<version>`",
        rationale: "Unpinned gems make the image depend on the day it was built.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3028",
        triggeringExamples: ["FROM ruby:3.3\n↓RUN gem install bundler\n"],
        nonTriggeringExamples: ["FROM ruby:3.3\nRUN gem install bundler:2.5.10\n", "FROM ruby:3.3\nRUN gem install bundler -v 2.5.10\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["gem"]) { command in
            guard command.isCommand("gem", withAnyArgument: ["install", "i"]) else { return false }
            let values = command.argumentValues
            if values.contains("-v") || values.contains("--version") || values.contains(where: { $0.hasPrefix("--version=") }) { return false }
            var gems: [String] = []
            var skip = false
            for value in values.prefix(while: { $0 != "--" }) {
                if skip { skip = false; continue }
                if value.hasPrefix("-") { skip = true; continue }
                if value != "install" && value != "i" { gems.append(value) }
            }
            return !gems.allSatisfy { $0.contains(":") }
        }
    }
}
