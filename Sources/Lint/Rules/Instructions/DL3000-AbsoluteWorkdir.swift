import DockerfileSyntax

/// DL3000: relative WORKDIR.
struct AbsoluteWorkdirRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3000", origin: .hadolint, category: .instructions, name: "absolute-workdir", severity: .error,
        summary: "Use absolute WORKDIR",
        rationale: "A relative WORKDIR depends on the previous one and surprises readers.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3000",
        triggeringExamples: ["FROM debian:12\n↓WORKDIR app\n"],
        nonTriggeringExamples: ["FROM debian:12\nWORKDIR /app\n", "FROM debian:12\nWORKDIR $HOME\n", "FROM windows\nWORKDIR C:\\app\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportInstructions(in: file, of: .workdir) { instruction in
            guard instruction.kind == .workdir, let path = instruction.values.first.map({ droppingQuotes($0.text) }) else { return false }
            return !(path.hasPrefix("$") || path.hasPrefix("/") || isWindowsAbsolute(path))
        }
    }
}
