import DockerfileSyntax
import Shell

/// DL3042: pip install without --no-cache-dir.
struct PipNoCacheDirRule: LintRule {
    static let description = RuleDescription(
        code: "DL3042", origin: .hadolint, category: .packages, name: "pip-no-cache-dir", severity: .warning,
        summary: "Avoid use of cache directory with pip. Use `pip install --no-cache-dir <package>`",
        rationale: "pip's download cache stays in the layer otherwise.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3042",
        triggeringExamples: [RuleExample("FROM python:3.12\n↓RUN pip install requests==2.31.0\n",
                                         fixed: "FROM python:3.12\nRUN pip install --no-cache-dir requests==2.31.0\n")],
        nonTriggeringExamples: ["FROM python:3.12\nRUN pip install --no-cache-dir requests==2.31.0\n",
                                "FROM python:3.12\nENV PIP_NO_CACHE_DIR=1\nRUN pip install requests==2.31.0\n"],
        isFixable: true)

    static let truthy: Set<String> = ["1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES"]

    func check(_ file: LintedFile) -> [Finding] {
        // Stages where ENV PIP_NO_CACHE_DIR is truthy (inherited by stages built on them).
        var disabled = Set<Int>()
        var findings: [Finding] = []
        var disabledBeforeFirstStage = false
        for index in (file.instructionIndices(of: .from, .env) + file.runInstructionIndices(runningBaseNameWhere: ShellCommand.mayInstallWithPip)).sorted() {
            let instruction = file.instructions[index]
            let stage = file.stageOfInstruction[index]
            if instruction.kind == .from, let stage, let parent = file.stages[stage].parentStage, disabled.contains(parent) {
                disabled.insert(stage)
            }
            if let env = KeyValueInstruction(instruction), instruction.kind == .env,
               let pair = env.pairs.first(where: { $0.key.text == "PIP_NO_CACHE_DIR" }),
               Self.truthy.contains(pair.unquotedValue(escapeToken: file.tree.escapeToken)) {
                if let stage { disabled.insert(stage) } else { disabledBeforeFirstStage = true }
            }
            guard !file.runScripts[index].isEmpty else { continue }
            if let stage, disabled.contains(stage) { continue }
            if stage == nil && disabledBeforeFirstStage { continue }
            let target = file.effectiveInstruction(index)
            if target.values.first.map({ Self.setsNoCacheInline($0.text) }) == true { continue }
            if hasCacheMount(target, containing: ".cache/pip") { continue }
            let missing = file.commands(of: index).filter { located in
                let command = located.command
                let isWrapper = command.baseName.contains("pipx") || command.baseName.contains("pipenv")
                    || (command.baseName.hasPrefix("python") && (command.argumentValues.contains("pipx") || command.argumentValues.contains("pipenv")))
                return command.isPipInstall && !command.argumentValues.contains("--no-cache-dir") && !isWrapper
            }
            if let located = missing.first {
                let fix = file.combined(missing.map { located in
                    located.command.arguments.first { $0.value == "install" }.flatMap {
                        file.insertion(" --no-cache-dir", after: $0, in: located, summary: "add --no-cache-dir")
                    }
                }, summary: "add --no-cache-dir")
                findings.append(finding(description.summary, at: file.instructionRange(through: located), fix: fix))
            }
        }
        return findings
    }

    static func setsNoCacheInline(_ script: String) -> Bool {
        guard let found = script.utf8Offset(of: "PIP_NO_CACHE_DIR=") else { return false }
        let value = script.utf8.dropFirst(found + "PIP_NO_CACHE_DIR=".utf8.count)
        return truthy.contains { value.starts(with: $0.utf8) }
    }
}
