import DockerfileSyntax

/// DL3001: commands that make no sense in a build.
struct PointlessCommandRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DL3001", origin: .hadolint, category: .shell, name: "pointless-command", severity: .info,
        summary: "For some bash commands it makes no sense running them in a Docker container like `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount`, `ifconfig`",
        rationale: "Interactive or system-management commands do nothing useful in a build step.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3001",
        triggeringExamples: ["FROM debian:12\n↓RUN service nginx start\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y vim\n"])

    static let commands = ["free", "kill", "mount", "ps", "service", "shutdown", "ssh", "top", "vim"]

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: Self.commands) { Self.commands.contains($0.name.value) }
    }
}
