import DockerfileSyntax

/// DK402: sshd configured for root or password logins.
struct SshRootPasswordLoginRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK402", origin: .dockerkit, category: .security, name: "ssh-root-password-login", severity: .warning,
        summary: "sshd is configured to allow root or password logins",
        rationale: "Containers on shared GPU servers are reachable by every user of the host network; allow key logins only, as a non-root user.",
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK402.md",
        triggeringExamples: ["FROM debian:12\nRUN ↓sed -i 's/#PermitRootLogin prohibit-password/PermitRootLogin yes/' /etc/ssh/sshd_config\n",
                             "FROM debian:12\nRUN ↓echo 'PasswordAuthentication yes' >> /etc/ssh/sshd_config\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN echo 'PasswordAuthentication no' >> /etc/ssh/sshd_config\n"])

    static let writers = ["sed", "echo", "printf", "tee"]

    func check(_ file: LintedFile) -> [Finding] {
        file.commands(baseNamed: Self.writers).compactMap { located in
            let command = located.command
            guard Self.writers.contains(command.baseName),
                  command.argumentValues.contains(where: { $0.contains("PermitRootLogin") || $0.contains("PasswordAuthentication") })
            else { return nil }
            let text = command.argumentValues.joined(separator: " ")
            let enables = ["PermitRootLogin", "PasswordAuthentication"].first { key in
                var rest = Substring(text)
                while let found = rest.firstRange(of: key) {
                    let after = rest[found.upperBound...].drop { $0 == " " || $0 == "\t" }
                    if after.hasPrefix("yes") { return true }
                    rest = rest[found.upperBound...]
                }
                return false
            }
            guard let enables else { return nil }
            return finding("sshd_config gets '\(enables) yes'", at: file.range(of: located))
        }
    }
}
