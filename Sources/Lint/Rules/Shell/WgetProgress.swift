import DockerfileSyntax

/// DL3047: wget without a progress setting.
struct WgetProgressRule: LintRule {
    static let description = RuleDescription(
        code: "DL3047", origin: .hadolint, category: .shell, name: "wget-progress", severity: .info,
        summary: "Avoid use of wget without progress bar. Use `wget --progress=dot:giga <url>`. Or consider using `-q` or `-nv` (shorthands for `--quiet` or `--no-verbose`).",
        rationale: "wget's default progress bar floods build logs.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3047",
        triggeringExamples: ["FROM debian:12\n↓RUN wget https://example.com/x.tgz\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN wget -q https://example.com/x.tgz\n", "FROM debian:12\nRUN wget --progress=dot:giga https://example.com/x.tgz\n"])

    func check(_ file: LintedFile) -> [Finding] {
        reportRuns(in: file, named: ["wget"]) { command in
            guard command.name.value == "wget" else { return false }
            return !(command.hasFlag("progress") || command.hasAnyFlag(["q", "quiet", "o", "output-file", "a", "append-output", "no-verbose"])
                || command.argumentValues.contains("-nv"))
        }
    }
}
