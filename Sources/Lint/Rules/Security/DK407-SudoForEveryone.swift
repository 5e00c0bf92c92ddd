import DockerfileSyntax
import Shell

/// DK407: sudo without a password for every user.
struct SudoForEveryoneRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK407", origin: .dockerkit, category: .security, name: "sudo-for-everyone", severity: .warning,
        summary: "sudo is granted without a password to every user",
        rationale: """
            `ALL ALL=(ALL) NOPASSWD: ALL` makes every account root, so any process of any lab member owns the \
            container. Grant sudo to the one account that needs it (`lab ALL=(ALL) NOPASSWD: ALL` in \
            /etc/sudoers.d/lab), or to a group only that account is in. Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK407.md",
        triggeringExamples: ["FROM debian:12\nRUN echo ↓'ALL ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n",
                             "FROM debian:12\nRUN printf '%s\\n' ↓'ALL ALL=(ALL:ALL) NOPASSWD:ALL' > /etc/sudoers.d/all\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN echo 'lab ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/lab\n",
                                "FROM debian:12\nRUN echo '%sudo ALL=(ALL) NOPASSWD: ALL' >> /etc/sudoers\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for located in file.commands(baseNamed: ["echo", "printf", "tee", "sed"]) {
            let command = located.command
            let target = (command.arguments + command.redirections).map(\.value)
            guard target.contains(where: { $0.contains("sudoers") }) else { continue }
            for word in command.arguments {
                // The user field is the first word of the rule: ALL means every account.
                let fields = word.value.split(whereSeparator: { $0 == " " || $0 == "\t" })
                guard let user = fields.first, user == "ALL", word.value.replacingAll(" ", with: "").contains("NOPASSWD:ALL") else { continue }
                findings.append(finding("sudoers gives every user passwordless root", at: file.range(of: word, in: located)))
            }
        }
        return findings
    }
}
