import DockerfileSyntax

/// DL4006: a pipe in RUN without `set -o pipefail` in SHELL.
struct PipefailRule: LintRule {
    static let description = RuleDescription(
        code: "DL4006", origin: .hadolint, category: .shell, name: "pipefail", severity: .warning,
        summary: "Set the SHELL option -o pipefail before RUN with a pipe in it. If you are using /bin/sh in an alpine image or if your shell is symlinked to busybox then consider explicitly setting your SHELL to /bin/ash, or disable this check",
        rationale: "Without pipefail, `curl … | tar x` succeeds when curl fails and the image is silently broken.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL4006",
        triggeringExamples: [RuleExample("FROM debian:12\n↓RUN curl -fsSL https://x | tar xz\n",
                                         fixed: "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | tar xz\n")],
        nonTriggeringExamples: ["FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nRUN curl -fsSL https://x | tar xz\n",
                                "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL [\"powershell\", \"-Command\"]\nRUN Get-ChildItem | Select-Object Name\n",
                                "FROM debian:12\nSHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\nENV A=1\nRUN curl -fsSL https://x | tar xz\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        var safe = false
        var fixedStage = false
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .from, .shell, .run) {
            let instruction = file.instructions[index]
            switch instruction.kind {
            case .from:
                safe = false
                fixedStage = false
            case .shell:
                // SHELL is exec form: its words are the shell command line.
                let words = instruction.values.map(\.text)
                let joined = words.joined(separator: " ")
                if ["pwsh", "powershell", "cmd"].contains(where: { joined.hasPrefix($0) }) {
                    safe = true
                } else if let shell = words.first?.split(separator: "/").last.map(String.init) {
                    safe = ["bash", "zsh", "ash"].contains(shell) && words.contains(where: { $0.hasPrefix("-") && $0.dropFirst().contains("o") })
                        && words.contains("pipefail")
                } else {
                    safe = false
                }
            case .run where !safe:
                if file.scriptFacts[index].contains(.hasPipes) {
                    // Unsafe: the image must have bash, and every later RUN of the stage runs under it. One SHELL per
                    // stage, before its first piped RUN, covers the rest.
                    var fix: Fix?
                    if !fixedStage, instruction.trigger == nil {
                        let lineStart = instruction.range.start.offset - (instruction.range.start.column - 1)
                        fix = Fix(summary: "run RUN under bash with pipefail",
                                  edits: [TextEdit(offsets: lineStart..<lineStart,
                                                   replacement: "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]" + file.lineBreak(after: instruction))],
                                  applicability: .unsafe)
                        fixedStage = true
                    }
                    findings.append(finding(description.summary, at: instruction.keyword.range, fix: fix))
                }
            default:
                break
            }
        }
        return findings
    }
}
