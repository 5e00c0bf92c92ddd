import DockerfileSyntax

/// A command found in a RUN, with where it is.
struct LocatedCommand {
    let instructionIndex: Int
    let script: RunScript
    let command: ShellCommand
}

extension LintedFile {
    /// Every command of every RUN, in order.
    var locatedCommands: [LocatedCommand] {
        allCommands.map { LocatedCommand(instructionIndex: $0.instruction, script: $0.script, command: $0.command) }
    }

    /// The commands of one instruction's RUN scripts.
    func commands(of instructionIndex: Int) -> [LocatedCommand] {
        runScripts[instructionIndex].flatMap { script in
            script.script.commands.map { LocatedCommand(instructionIndex: instructionIndex, script: script, command: $0) }
        }
    }

    /// The range of a command's name (where command findings point).
    func range(of command: LocatedCommand) -> SourceRange {
        range(command.command.name.offsets, in: command.script)
    }

    /// From the instruction's keyword to the end of the command: hadolint's DL rules report the instruction's
    /// first line, so DL findings start there (users' baselines and pragmas keep working); the end is exact.
    func instructionRange(through command: LocatedCommand) -> SourceRange {
        let keyword = instructions[command.instructionIndex].keyword.range
        return SourceRange(start: keyword.start, end: max(keyword.end, range(of: command).end))
    }

    /// The range of one word of a command.
    func range(of word: ShellWord, in command: LocatedCommand) -> SourceRange {
        range(word.offsets, in: command.script)
    }

    /// RUN instruction indices, ONBUILD RUN included.
    var runInstructionIndices: [Int] {
        instructions.indices.filter { !runScripts[$0].isEmpty }
    }
}

extension ShellCommand {
    /// `apt-get install …` (hadolint's cmdHasArgs "apt-get" ["install"]).
    var isAptGetInstall: Bool { isCommand("apt-get", withAnyArgument: ["install"]) }

    /// apt-get, apt or aptitude installing packages.
    var isAptInstall: Bool { isCommand("apt-get", "apt", "aptitude", withAnyArgument: ["install"]) }

    /// apt-get, apt or aptitude updating the package lists.
    var isAptUpdate: Bool { isCommand("apt-get", "apt", "aptitude", withAnyArgument: ["update"]) }

    /// Packages named by `apt-get install` (hadolint's reading: non-flag arguments other than `install`,
    /// without the value of `-t`/`--target-release`).
    var aptPackages: [ShellWord] {
        var skipNext = false
        var packages: [ShellWord] = []
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            if argument.value == "-t" || argument.value == "--target-release" { skipNext = true; continue }
            if argument.value.hasPrefix("-") && argument.value != "-" { continue }
            if argument.value == "install" { continue }
            packages.append(argument)
        }
        return packages
    }

    /// Whether any argument contains `text`.
    func mentions(_ text: String) -> Bool {
        argumentValues.contains { $0.contains(text) }
    }
}

extension String {
    /// Whether the string contains `other` (no Foundation).
    func containsText(_ other: String) -> Bool {
        other.isEmpty || firstRange(of: other) != nil
    }
}
