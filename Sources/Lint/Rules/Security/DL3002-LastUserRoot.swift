import DockerfileSyntax

/// DL3002: the last USER of a stage is root.
struct LastUserRootRule: LintRule {
    static let description = RuleDescription(
        code: "DL3002", origin: .hadolint, category: .security, name: "last-user-root", severity: .warning,
        summary: "Last USER should not be root",
        rationale: "Containers that run as root turn any escape into root on the host.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3002",
        triggeringExamples: ["FROM debian:12\nUSER lab\n↓USER root\n"],
        nonTriggeringExamples: ["FROM debian:12\nUSER root\nRUN make\nUSER lab\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for stage in file.stages {
            guard let last = stage.instructionIndices.last(where: { file.instructions[$0].kind == .user }) else { continue }
            let user = file.instructions[last].values.first?.text ?? ""
            if user == "root" || user == "0" || user.hasPrefix("root:") || user.hasPrefix("0:") {
                findings.append(finding(description.summary, at: file.instructions[last].keyword.range))
            }
        }
        return findings
    }
}
