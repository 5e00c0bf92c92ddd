import DockerfileSyntax
import Shell

/// DL3060: yarn install without yarn cache clean.
struct YarnCacheCleanRule: LintRule {
    static let description = RuleDescription(
        code: "DL3060", origin: .hadolint, category: .packages, name: "yarn-cache-clean", severity: .info,
        summary: "`yarn cache clean` missing after `yarn install` was run.",
        rationale: "yarn's cache stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3060",
        triggeringExamples: ["FROM node:20\n↓RUN yarn install\n"],
        nonTriggeringExamples: ["FROM node:20\nRUN yarn install && yarn cache clean\n"])

    func check(_ file: LintedFile) -> [Finding] {
        let baseNames = Set(file.stages.compactMap { $0.from.image?.text })
        let install = { (command: ShellCommand) in command.isCommand("yarn", withAnyArgument: ["install"]) }
        let clean = { (command: ShellCommand) in
            command.isCommand("yarn", withAnyArgument: ["cache", "clean"])
        }
        return file.runInstructionIndices(running: ["yarn"]).compactMap { index in
            let stage = file.stage(of: index)
            let matters = stage == nil || stage?.index == file.stages.count - 1 || stage?.name.map { baseNames.contains($0) } == true
            guard matters else { return nil }
            let commands = file.commands(of: index).map(\.command)
            guard commands.contains(where: install) else { return nil }
            let cleans = commands.contains(where: clean)
            let missing = !cleans && !hasCacheMount(file.effectiveInstruction(index), containing: ".cache/yarn")
            let tooEarly = cleans && appearsBefore(commands, clean, install)
            return missing || tooEarly ? finding(description.summary, at: file.instructions[index].keyword.range) : nil
        }
    }
}
