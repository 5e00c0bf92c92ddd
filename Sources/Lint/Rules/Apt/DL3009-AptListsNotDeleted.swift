import DockerfileSyntax
import Shell

/// DL3009: apt lists left in the image after `apt-get update`.
struct AptListsNotDeletedRule: LintRule {
    static let description = RuleDescription(
        code: "DL3009", origin: .hadolint, category: .apt, name: "apt-lists-not-deleted", severity: .info,
        summary: "Delete the apt lists (/var/lib/apt/lists) after installing something",
        rationale: "The lists add tens of megabytes to the layer and go stale; remove them in the same RUN.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3009",
        triggeringExamples: [
            RuleExample("FROM debian:12\n↓RUN apt-get update && apt-get install -y curl\n",
                        fixed: "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            // The lists are read by the next RUN: deleting them here would break its install, so there is no fix.
            RuleExample("FROM debian:12\n↓RUN apt-get update\nRUN apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n"),
            RuleExample("FROM debian:12\n↓RUN apt-get update && apt-get install -y gcc\nRUN apt-get install -y make\n"),
        ],
        nonTriggeringExamples: [
            "FROM debian:12\nRUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*\n",
            "FROM debian:12 AS build\nRUN apt-get update && apt-get install -y gcc\nFROM debian:12\nCOPY --from=build /x /x\n",
            "FROM debian:12\nRUN --mount=type=cache,target=/var/lib/apt/lists apt-get update && apt-get install -y curl\n",
        ],
        isFixable: true)

    func check(_ file: LintedFile) -> [Finding] {
        // Images named in FROM: a stage whose name is used as a base later still matters (hadolint's rule).
        let baseNames = Set(file.stages.compactMap { $0.from.image?.text })
        var findings: [Finding] = []
        let matters = file.stages.map { stage in
            stage.index == file.stages.count - 1 || stage.name.map { baseNames.contains($0) } == true
        }
        let aptRuns = file.runInstructionIndices(running: ["apt-get", "apt", "aptitude"])
        var children: [Int: [Int]] = [:]
        for stage in file.stages { if let parent = stage.parentStage { children[parent, default: []].append(stage.index) } }
        for index in aptRuns {
            // A RUN without an update (``ScriptFacts``) is passed over without reading its commands again.
            guard file.scriptFacts[index].contains(.updatesLists), let stage = file.stageOfInstruction[index], matters[stage] else { continue }
            let located = file.commands(of: index)
            let cleans = located.contains { $0.command.name.value == "rm" && ($0.command.hasArgument("-rf") || $0.command.hasArgument("/var/lib/apt/lists/*")) }
            guard !cleans else { continue }
            let commands = located.map(\.command)
            if let run = RunInstruction(file.instructions[index].trigger ?? file.instructions[index]) {
                let cacheTargets = run.mounts.filter { $0.type == "cache" || $0.type == "tmpfs" }.compactMap(\.target)
                if cacheTargets.contains(where: { $0.contains("/var/lib/apt/lists") }) { continue }
                if cacheTargets.contains(where: { $0.contains("/var/lib/apt") })
                    && cacheTargets.contains(where: { $0.contains("/var/cache/apt") }) { continue }
            }
            let fix = listsNeededLater(file, after: index, commands: commands, aptRuns: aptRuns, children: children)
                ? nil : file.appending("rm -rf /var/lib/apt/lists/*", toRunAt: index, summary: "delete the apt lists in the same RUN")
            findings.append(finding(description.summary, at: file.instructions[index].keyword.range, fix: fix))
        }
        return findings
    }

    /// Whether deleting the lists at the end of this RUN would break an install that reads them: when nothing in
    /// this RUN installs after its last update (the update is for a later RUN), or when a later RUN of this stage,
    /// or of a stage built FROM it, installs before updating. Then no fix is offered: none could be proved safe.
    /// Each stage is read only up to its first RUN that updates or installs, so a file of many RUNs stays linear.
    private func listsNeededLater(_ file: LintedFile, after index: Int, commands: [ShellCommand], aptRuns: [Int], children: [Int: [Int]]) -> Bool {
        guard let lastUpdate = commands.lastIndex(where: \.isAptUpdate),
              commands[(lastUpdate + 1)...].contains(where: \.isAptInstall) else { return true }
        guard let stage = file.stageOfInstruction[index] else { return true }
        // What the first apt RUN after `start` in `range` does with the lists: needs them, refreshes them, or nothing.
        func firstUse(in range: Range<Int>, after start: Int) -> Bool? {
            var low = 0
            var high = aptRuns.count
            while low < high {
                let middle = (low + high) / 2
                if aptRuns[middle] <= start { low = middle + 1 } else { high = middle }
            }
            for later in aptRuns[low...] {
                guard later < range.upperBound else { return nil }
                for command in file.commands(of: later).map(\.command) {
                    if command.isAptUpdate { return false }
                    if command.isAptInstall { return true }
                }
            }
            return nil
        }
        if let own = firstUse(in: file.stages[stage].instructionIndices, after: index) { return own }
        // This stage leaves the lists as they are: every later stage built on it, directly or through another, reads them.
        var pending = children[stage] ?? []
        while let later = pending.popLast() {
            let range = file.stages[later].instructionIndices
            if firstUse(in: range, after: range.lowerBound) == true { return true }
            pending += children[later] ?? []
        }
        return false
    }
}
