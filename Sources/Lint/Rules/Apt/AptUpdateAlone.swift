import DockerfileSyntax

/// DK201: `apt-get update` in a RUN that installs nothing.
struct AptUpdateAloneRule: LintRule {
    static let description = RuleDescription(
        code: "DK201", origin: .dockerkit, category: .apt, name: "apt-update-alone", severity: .warning,
        summary: "apt-get update in a RUN that installs nothing",
        rationale: """
            The build cache keeps this layer: a later RUN that installs reuses the old package lists and fails or \
            installs stale versions. Update and install in the same RUN.
            """,
        documentation: "dockerkit explain DK201",
        triggeringExamples: ["FROM debian:12\nRUN ↓apt-get update\nRUN apt-get install -y curl\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                                "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices(running: ["apt-get", "apt", "aptitude"]) {
            let commands = file.commands(of: index)
            guard let update = commands.first(where: { $0.command.isAptUpdate }) else { continue }
            let installs = commands.contains { located in
                located.command.isCommand("apt-get", "apt", "aptitude",
                                           withAnyArgument: ["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall"])
                    || ["dpkg", "add-apt-repository", "apt-cache", "apt-mark"].contains(located.command.baseName)
            }
            if !installs { findings.append(finding(description.summary, at: file.range(of: update))) }
        }
        return findings
    }
}
