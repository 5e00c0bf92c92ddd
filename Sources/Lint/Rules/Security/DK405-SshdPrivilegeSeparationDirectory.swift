import DockerfileSyntax

/// DK405: `sshd -D` as the container's command, with nothing making /run/sshd.
struct SshdPrivilegeSeparationDirectoryRule: LintRule {
    static let description = RuleDescription(
        code: "DK405", origin: .dockerkit, category: .security, name: "sshd-run-directory-missing", severity: .error,
        summary: "sshd runs in the foreground but nothing makes /run/sshd, so the container will not start",
        rationale: """
            sshd refuses to start without its privilege separation directory ("Missing privilege separation \
            directory: /run/sshd"). Outside containers the init system makes it; in an image, a RUN must. The fix \
            adds `RUN mkdir -p /run/sshd` before the command (/var/run is a link to /run).
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK405.md",
        triggeringExamples: [
            RuleExample("FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\n↓CMD [\"/usr/sbin/sshd\", \"-D\"]\n",
                        fixed: "FROM debian:12\nRUN apt-get update && apt-get install -y --no-install-recommends openssh-server\nRUN mkdir -p /run/sshd\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n"),
            "FROM debian:12\n↓ENTRYPOINT /usr/sbin/sshd -D -e\n",
        ],
        nonTriggeringExamples: ["FROM debian:12\nRUN mkdir /var/run/sshd\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
                                "FROM debian:12\nRUN mkdir -p /run/sshd && chmod 0755 /run/sshd\nCMD [\"/usr/sbin/sshd\", \"-D\"]\n",
                                "FROM debian:12\nCMD [\"/usr/sbin/sshd\"]\n",
                                "FROM debian:12\nCMD [\"/start.sh\"]\n"],
        isFixable: true)

    static let directories: Set<String> = ["/run/sshd", "/var/run/sshd", "/run/sshd/", "/var/run/sshd/"]

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for stage in file.stages {
            // The command the stage's containers run: its last CMD or ENTRYPOINT that starts sshd in the foreground.
            guard let index = stage.instructionIndices.last(where: { [.cmd, .entrypoint].contains(file.instructions[$0].kind) }),
                  let command = CommandInstruction(file.instructions[index])?.command else { continue }
            let words: [String]
            switch command {
            case .exec(let tokens): words = tokens.map(\.text)
            case .shell(let token): words = token.text.split(separator: " ").map(String.init)
            }
            guard let program = words.first, program == "sshd" || program.hasSuffix("/sshd"), words.contains("-D") else { continue }
            // A directory made in this stage or a stage it builds on.
            var stages = [stage.index]
            while let parent = file.stages[stages[stages.count - 1]].parentStage { stages.append(parent) }
            let makes = stages.contains { stageIndex in
                file.stages[stageIndex].instructionIndices.contains { instructionIndex in
                    file.instructions[instructionIndex].kind == .run && file.commands(of: instructionIndex).contains { located in
                        ["mkdir", "install"].contains(located.command.baseName) && located.command.argumentValues.contains { Self.directories.contains($0) }
                    }
                }
            }
            guard !makes else { continue }
            let instruction = file.instructions[index]
            let lineStart = instruction.range.start.offset - (instruction.range.start.column - 1)
            let fix = Fix(summary: "make /run/sshd before the command",
                          edits: [TextEdit(offsets: lineStart..<lineStart, replacement: "RUN mkdir -p /run/sshd" + file.lineBreak(after: instruction))])
            findings.append(finding(description.summary, at: instruction.keyword.range, fix: fix))
        }
        return findings
    }
}
