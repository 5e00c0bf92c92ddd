import DockerfileSyntax

/// DK403: SSH host keys generated at build time and shared by every container.
struct SshHostKeysBakedRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK403", origin: .dockerkit, category: .security, name: "ssh-host-keys-baked", severity: .warning,
        summary: "SSH host keys are baked into the image, so every container has the same ones",
        rationale: """
            Installing openssh-server (or running ssh-keygen -A) generates host keys in the layer. Every container \
            then shares them and clients cannot tell containers apart. Remove /etc/ssh/ssh_host_* in the same RUN \
            and generate keys when the container starts.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK403.md",
        triggeringExamples: ["FROM debian:12\nRUN apt-get update && ↓apt-get install -y openssh-server\n",
                             "FROM debian:12\nRUN ↓ssh-keygen -A\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get update && apt-get install -y openssh-server && rm -f /etc/ssh/ssh_host_*\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices(running: ["apt-get", "apt", "aptitude", "yum", "dnf", "apk", "zypper", "ssh-keygen", "dpkg-reconfigure"]) {
            let commands = file.commands(of: index)
            let removes = commands.contains { located in
                located.command.baseName == "rm" && located.command.argumentValues.contains { $0.contains("/etc/ssh/ssh_host_") }
            }
            guard !removes else { continue }
            for located in commands {
                let command = located.command
                let installsServer = (command.isAptInstall || command.isCommand("yum", "dnf", "apk", "zypper", withAnyArgument: ["install", "add"]))
                    && command.argumentValues.contains { $0.hasPrefix("openssh-server") || $0 == "openssh" }
                let generates = (command.baseName == "ssh-keygen" && command.argumentValues.contains("-A"))
                    || (command.baseName == "dpkg-reconfigure" && command.argumentValues.contains("openssh-server"))
                if installsServer || generates {
                    findings.append(finding(description.summary, at: file.range(of: located)))
                }
            }
        }
        return findings
    }
}
