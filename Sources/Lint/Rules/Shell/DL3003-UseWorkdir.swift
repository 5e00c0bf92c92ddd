import DockerfileSyntax

/// DL3003: `cd` in RUN instead of WORKDIR.
struct UseWorkdirRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3003", origin: .hadolint, category: .shell, name: "use-workdir", severity: .warning,
        summary: "Use WORKDIR to switch to a directory",
        rationale: "WORKDIR is explicit and applies to later instructions; `cd` lasts one RUN.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3003",
        triggeringExamples: ["FROM debian:12\n↓RUN cd /src && make\n"],
        nonTriggeringExamples: ["FROM debian:12\nWORKDIR /src\nRUN make\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["cd"], includingOnbuild: false) { $0.name.value == "cd" }
    }
}
