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
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK201.md",
        triggeringExamples: [RuleExample("FROM debian:12\nRUN ↓apt-get update\nRUN apt-get install -y curl\n",
                                         fixed: "FROM debian:12\nRUN apt-get update && apt-get install -y curl\n"),
                             "FROM debian:12\nRUN ↓apt-get update\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN apt-get update && apt-get install -y curl\n",
                                "FROM debian:12\nRUN apt-get update && apt-get upgrade -y\n"],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        // Only the RUNs with an apt update (``ScriptFacts``) are read, command by command.
        for index in file.runInstructionIndices where file.scriptFacts[index].contains(.updatesLists) {
            let commands = file.commands(of: index)
            guard let update = commands.first(where: { $0.command.isAptUpdate }) else { continue }
            let installs = commands.contains { located in
                located.command.isCommand("apt-get", "apt", "aptitude",
                                           withAnyArgument: ["install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "reinstall"])
                    || ["dpkg", "add-apt-repository", "apt-cache", "apt-mark"].contains(located.command.baseName)
            }
            if !installs { findings.append(finding(description.summary, at: file.range(of: update), fix: mergeFix(index, in: file))) }
        }
        return findings
    }

    /// `RUN apt-get update` followed by a RUN that installs becomes one RUN: `RUN apt-get update && apt-get install …`.
    /// Only when both are plain one-script shell RUNs without flags, next to each other.
    private func mergeFix(_ index: Int, in file: LintedFile) -> Fix? {
        let next = index + 1
        guard next < file.instructions.count, file.stageOfInstruction[next] == file.stageOfInstruction[index] else { return nil }
        let first = file.instructions[index]
        let second = file.instructions[next]
        guard second.kind == .run, first.flags.isEmpty, second.flags.isEmpty, !first.isJSON, !second.isJSON,
              first.heredocs.isEmpty, second.heredocs.isEmpty, first.trigger == nil, second.trigger == nil,
              file.commands(of: next).contains(where: { $0.command.isAptInstall }),
              let firstArguments = first.arguments, let secondArguments = second.arguments,
              file.endOfRunScript(index) != nil else { return nil }
        // Replaces the line break, comments and `RUN ` between the two scripts.
        return Fix(summary: "run apt-get update in the RUN that installs",
                   edits: [TextEdit(offsets: firstArguments.range.end.offset..<secondArguments.range.start.offset, replacement: " && ")])
    }
}
