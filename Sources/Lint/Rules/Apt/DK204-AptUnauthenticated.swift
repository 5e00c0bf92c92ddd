import DockerfileSyntax

/// DK204: package authentication switched off.
struct AptUnauthenticatedRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK204", origin: .dockerkit, category: .apt, name: "apt-unauthenticated", severity: .error,
        summary: "Package signatures or TLS certificates are not checked",
        rationale: """
            --allow-unauthenticated, --force-yes, [trusted=yes] and downloads with certificate checks off let anyone \
            on the network path put code into the image.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK204.md",
        triggeringExamples: [
            "FROM debian:12\nRUN apt-get install -y ↓--allow-unauthenticated curl\n",
            "FROM debian:12\nRUN echo 'deb ↓[trusted=yes] http://repo.example.com/ ./' > /etc/apt/sources.list.d/x.list\n",
            "FROM debian:12\nRUN curl ↓-k https://example.com/install.sh | sh\n",
        ],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get install -y curl\n", "FROM debian:12\nRUN curl -fsSL https://example.com/x.tgz -o x.tgz\n"])

    static let installers: Set<String> = ["sh", "bash", "apt-key", "dpkg", "apt-get", "apt", "gpg", "python", "python3", "perl"]
    static let aptCommands: Set<String> = ["apt-get", "apt", "aptitude"]
    static let insecureAptOptions: Set<String> = ["--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"]

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices {
            let commands = file.commands(of: index)
            // Asked only about a RUN that downloads with curl or wget.
            var feedsInstallerOnce: Bool?
            func feedsInstaller() -> Bool {
                if let known = feedsInstallerOnce { return known }
                let feeds = commands.contains { located in
                    located.command.pipelineIndex > 0 && Self.installers.contains(located.command.baseName)
                } || commands.contains { $0.command.baseName == "dpkg" || $0.command.isAptInstall }
                feedsInstallerOnce = feeds
                return feeds
            }
            for located in commands {
                let command = located.command
                let isApt = Self.aptCommands.contains(command.baseName)
                guard isApt || command.baseName == "curl" || command.baseName == "wget"
                    || command.argumentValues.contains(where: { $0.contains("trusted=yes") }) else { continue }
                for argument in command.arguments {
                    var insecure = false
                    if isApt {
                        insecure = Self.insecureAptOptions.contains(argument.value)
                            || argument.value.contains("AllowUnauthenticated=true") || argument.value.contains("AllowInsecureRepositories=true")
                    } else if command.baseName == "curl" && feedsInstaller() {
                        insecure = argument.value == "--insecure" || (argument.value.hasPrefix("-") && !argument.value.hasPrefix("--") && argument.value.contains("k"))
                    } else if command.baseName == "wget" && feedsInstaller() {
                        insecure = argument.value == "--no-check-certificate"
                    }
                    if argument.value.contains("trusted=yes") { insecure = true }
                    if insecure {
                        let range = MirrorUses.locate(
                            argument.value.contains("trusted=yes") ? "[trusted=yes]" : argument.value, in: argument, file: file, located: located)
                        findings.append(finding(description.summary + " (\(argument.value.contains("trusted=yes") ? "[trusted=yes]" : argument.value))",
                                                at: range ?? file.range(of: argument, in: located)))
                    }
                }
            }
        }
        return findings
    }
}
