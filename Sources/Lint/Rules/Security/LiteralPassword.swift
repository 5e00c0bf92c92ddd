import DockerfileSyntax

/// DK401: a literal password set in the image.
struct LiteralPasswordRule: LintRule {
    static let description = RuleDescription(
        code: "DK401", origin: .dockerkit, category: .security, name: "literal-password", severity: .error,
        summary: "A literal password is set in the image",
        rationale: """
            Everyone who can pull the image can read the password from its history, and every container shares it. \
            Log in with keys, or set passwords at run time from a secret.
            """,
        documentation: "dockerkit explain DK401",
        triggeringExamples: ["FROM debian:12\nRUN echo 'root:root' | ↓chpasswd\n",
                             "FROM debian:12\nRUN ↓useradd -m -p secret lab\n",
                             "FROM debian:12\nRUN echo hunter2 | ↓passwd --stdin lab\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN useradd -m lab\n",
                                "FROM debian:12\nRUN --mount=type=secret,id=pw echo \"lab:$(cat /run/secrets/pw)\" | chpasswd\n",
                                "FROM debian:12\nRUN echo \"lab:${LAB_PASSWORD}\" | chpasswd\n",
                                "FROM debian:12\nRUN useradd -m -p '*' lab\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices(running: ["chpasswd", "passwd", "useradd", "usermod", "adduser"]) {
            let commands = file.commands(of: index)
            for position in commands.indices {
                let located = commands[position]
                let command = located.command
                let fedLiteral: Bool = {
                    guard command.pipelineIndex > 0, position > commands.startIndex else {
                        return command.redirections.contains { !$0.value.contains("$") && $0.value.contains(":") }
                    }
                    let feeder = commands[position - 1].command
                    guard ["echo", "printf"].contains(feeder.baseName) else { return false }
                    let text = feeder.argumentValues.filter { !$0.hasPrefix("-") }.joined(separator: " ")
                    return !text.isEmpty && !text.contains("$")
                }()
                switch command.baseName {
                case "chpasswd":
                    if fedLiteral { findings.append(finding(description.summary + " (chpasswd)", at: file.range(of: located))) }
                case "passwd" where command.argumentValues.contains("--stdin"):
                    if fedLiteral { findings.append(finding(description.summary + " (passwd --stdin)", at: file.range(of: located))) }
                case "useradd", "usermod", "adduser":
                    let arguments = command.argumentValues
                    if let flag = arguments.firstIndex(where: { $0 == "-p" || $0 == "--password" }), flag + 1 < arguments.count,
                       !arguments[flag + 1].contains("$"), !isLockMarker(arguments[flag + 1]) {
                        findings.append(finding(description.summary + " (\(command.baseName) -p)", at: file.range(of: located)))
                    }
                default:
                    break
                }
            }
        }
        return findings
    }
}

/// `*` and `!…` in the password field are not passwords: they mean "no password can match" (key-only logins).
private func isLockMarker(_ value: String) -> Bool {
    value.hasPrefix("*") || value.hasPrefix("!")
}
