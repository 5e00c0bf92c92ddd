import DockerfileSyntax
import Shell
import Support

/// DK502: a script downloaded and run in one go.
struct RemoteScriptPipedToShellRule: LintRule {
    static let description = RuleDescription(
        code: "DK502", origin: .dockerkit, category: .security, name: "remote-script-piped-to-shell", severity: .warning,
        summary: "A downloaded script is run without being checked",
        rationale: """
            `curl … | sh` runs whatever the server sends today, and a cut connection can run half a script. Download \
            the script, verify its checksum (`echo "SHA256  file" | sha256sum -c -`), then run it. Measured on the \
            2,958-file public corpus (docs/rules.md).
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK502.md",
        triggeringExamples: [
            "FROM debian:12\nRUN curl -fsSL https://get.example.com | ↓sh\n",
            "FROM debian:12\nRUN wget -qO- https://get.example.com/install.sh | ↓bash -s -- --yes\n",
            "FROM debian:12\nRUN ↓bash <(curl -fsSL https://get.example.com)\n",
            "FROM debian:12\nRUN ↓sh -c \"$(curl -fsSL https://get.example.com)\"\n",
        ],
        nonTriggeringExamples: [
            "FROM debian:12\nRUN curl -fsSLo /tmp/install.sh https://get.example.com && echo \"abc  /tmp/install.sh\" | sha256sum -c - && sh /tmp/install.sh\n",
            "FROM debian:12\nRUN curl -fsSL https://example.com/x.tar.gz | tar xz\n",
            "FROM debian:12\nRUN echo hi | sh\n",
        ])

    static let shells: Set<String> = ["sh", "bash", "dash", "zsh", "ash", "ksh", "python", "python3", "perl", "ruby"]
    static let downloaders: Set<String> = ["curl", "wget"]

    func check(_ file: LintedFile) -> [Finding] {
        var findings = processSubstitutions(in: file)
        for index in file.runInstructionIndices(running: Array(Self.shells)) {
            let commands = file.commands(of: index)
            for position in commands.indices {
                let located = commands[position]
                let command = located.command
                guard Self.shells.contains(command.baseName) else { continue }
                // `downloader … | shell`: the command before it in the same pipeline downloads.
                let piped = command.pipelineIndex > 0 && position > commands.startIndex
                    && Self.downloaders.contains(commands[position - 1].command.baseName)
                    && commands[position - 1].command.pipelineIndex == command.pipelineIndex - 1
                // `shell <(curl …)` or `shell -c "$(curl …)"`: a download substituted into the shell's words.
                let substituted = (command.arguments + command.redirections).contains { word in
                    (word.value.contains("$(") || word.value.contains("`")) && (word.value.contains("curl ") || word.value.contains("wget "))
                }
                if piped || substituted {
                    findings.append(finding("\(command.baseName) runs a script straight from the network; download it, check its sha256, then run it",
                                            at: file.range(of: command.name, in: located)))
                }
            }
        }
        return findings
    }

    /// `bash <(curl …)`: bash's process substitution, which the POSIX reader does not read, so the RUN's text is
    /// searched instead.
    private func processSubstitutions(in file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.instructionIndices(of: .run) where file.scriptFacts[index].contains(.isInvalid) {
            let instruction = file.instructions[index]
            let text = instruction.text
            for shell in ["bash", "zsh", "ksh"] {
                for downloader in ["curl", "wget"] {
                    guard let offset = text.utf8Offset(of: "\(shell) <(\(downloader) ") else { continue }
                    let range = instruction.sourceRange(ofTextOffsets: offset..<(offset + shell.utf8.count), lineTable: file.tree.lineTable)
                    findings.append(finding("\(shell) runs a script straight from the network; download it, check its sha256, then run it", at: range))
                }
            }
        }
        return findings
    }
}
