import Support
import DockerfileSyntax
import Shell

/// A command found in a RUN, with where it is.
public struct LocatedCommand: Sendable {
    let script: RunScript
    // The command is kept as its place in the script, beside 32-bit indices: a file holds one of these for every
    // command, and keeping the script alone halves the reference counts made when they are gathered and freed, and
    // on an editor's large document, each count is a cache miss.
    private var storedInstructionIndex: Int32
    private let commandIndex: Int32

    init(instructionIndex: Int, script: RunScript, commandIndex: Int) {
        self.script = script
        storedInstructionIndex = Int32(clamping: instructionIndex)
        self.commandIndex = Int32(clamping: commandIndex)
    }

    var instructionIndex: Int { Int(storedInstructionIndex) }

    /// Its instruction `shift` places further on (instructions before it were inserted or removed).
    mutating func moveInstruction(by shift: Int) {
        storedInstructionIndex += Int32(clamping: shift)
    }

    var command: ShellCommand { script.script.commands[Int(commandIndex)] }
}

extension LintedFile {
    /// The commands of one instruction's RUN scripts.
    func commands(of instructionIndex: Int) -> ArraySlice<LocatedCommand> {
        locatedCommands[Int(commandStarts[instructionIndex])..<Int(commandStarts[instructionIndex + 1])]
    }

    /// The range of a command's name (where command findings point).
    func range(of command: LocatedCommand) -> SourceRange {
        range(command.command.name.offsets, in: command.script, of: command.instructionIndex)
    }

    /// From the instruction's keyword to the end of the command: hadolint's DL rules report the instruction's
    /// first line, so DL findings start there (users' baselines and pragmas keep working); the end is exact.
    func instructionRange(through command: LocatedCommand) -> SourceRange {
        let keyword = instructions[command.instructionIndex].keyword.range
        return SourceRange(start: keyword.start, end: max(keyword.end, range(of: command).end))
    }

    /// The line break that ends an instruction's first line (`\r\n` in CRLF files), for fixes that add lines.
    func lineBreak(after instruction: Instruction) -> String {
        let source = tree.source
        var offset = instruction.range.start.offset
        while offset < source.count && source[offset] != UInt8(ascii: "\n") { offset += 1 }
        return offset > 0 && offset < source.count && source[offset - 1] == UInt8(ascii: "\r") ? "\r\n" : "\n"
    }

    /// A fix that inserts `text` right after a word of a command, when the word sits on one line.
    func insertion(_ text: String, after word: ShellWord, in command: LocatedCommand, summary: String,
                   applicability: Fix.Applicability = .safe) -> Fix? {
        let range = range(of: word, in: command)
        guard range.start.line == range.end.line else { return nil }
        return Fix(summary: summary, edits: [TextEdit(offsets: range.end.offset..<range.end.offset, replacement: text)], applicability: applicability)
    }

    /// Where a RUN's shell script ends, when its last top-level command ends it (not inside a group, loop or
    /// comment) and the RUN has no heredoc: a command appended there runs last, whatever came before.
    func endOfRunScript(_ index: Int) -> Int? {
        let instruction = instructions[index]
        guard instruction.kind == .run, !instruction.isJSON, instruction.heredocs.isEmpty, instruction.trigger == nil,
              let scripts = runScripts[index].first, runScripts[index].count == 1, let last = scripts.script.commands.last,
              scripts.script.isValid, !scripts.script.isTooDeeplyNested else { return nil }
        let utf8 = Array(text(of: scripts, at: index).utf8)
        guard last.offsets.upperBound <= utf8.count else { return nil }
        // After the last command only blanks and one `;` may follow; anything else (`fi`, `)`, `#…`) means it is nested.
        var rest = utf8[last.offsets.upperBound...].filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
        if rest.last == UInt8(ascii: ";") { rest.removeLast() }
        guard rest.isEmpty else { return nil }
        return range(last.offsets, in: scripts, of: index).end.offset
    }

    /// A fix that appends `&& command` to a RUN's shell script (see `endOfRunScript`).
    func appending(_ command: String, toRunAt index: Int, summary: String) -> Fix? {
        endOfRunScript(index).map { end in Fix(summary: summary, edits: [TextEdit(offsets: end..<end, replacement: " && \(command)")]) }
    }

    /// `CMD prog arg` → `CMD ["prog", "arg"]` when every word is plain (no quotes, variables, globs, escapes or
    /// shell operators), the instruction is one line, and no SHELL instruction changes what shell form means.
    func execFormFix(_ instruction: Instruction) -> Fix? {
        guard !instruction.isJSON, instruction.lines.count == 1, instruction.trigger == nil, let arguments = instruction.arguments,
              instructionIndices(of: .shell).isEmpty else { return nil }
        let words = arguments.text.split(separator: " ", omittingEmptySubsequences: true)
        let plain: (Character) -> Bool = { $0.isASCII && ($0.isLetter || $0.isNumber || "_./:=@%+,-".contains($0)) }
        guard !words.isEmpty, words.allSatisfy({ $0.allSatisfy(plain) }) else { return nil }
        let exec = "[" + words.map { "\"\($0)\"" }.joined(separator: ", ") + "]"
        return Fix(summary: "use the exec form", edits: [TextEdit(offsets: arguments.range.offsets, replacement: exec)])
    }

    /// One fix made of several: the findings of a rule that reports a RUN once fix every command of it at once.
    func combined(_ fixes: [Fix?], summary: String) -> Fix? {
        let present = fixes.compactMap { $0 }
        guard !present.isEmpty else { return nil }
        return Fix(summary: summary, edits: present.flatMap(\.edits).sorted { $0.offsets.lowerBound < $1.offsets.lowerBound },
                   applicability: present.contains { $0.applicability == .unsafe } ? .unsafe : .safe)
    }

    /// A fix that writes `replacement` over an instruction's keyword.
    func keywordReplacement(_ replacement: String, of instruction: Instruction, summary: String) -> Fix {
        Fix(summary: summary, edits: [TextEdit(offsets: instruction.keyword.range.offsets, replacement: replacement)])
    }

    /// The range of one word of a command.
    func range(of word: ShellWord, in command: LocatedCommand) -> SourceRange {
        range(word.offsets, in: command.script, of: command.instructionIndex)
    }
}

extension ShellCommand {
    // The apt questions are asked of every command by several rules: a switch and one argument, where `isCommand`
    // would build two arrays for each question.

    /// apt-get, apt or aptitude, named exactly so (as hadolint compares).
    var isAptName: Bool {
        switch name.value {
        case "apt-get", "apt", "aptitude": true
        default: false
        }
    }

    /// `apt-get install …` (hadolint's cmdHasArgs "apt-get" ["install"]).
    var isAptGetInstall: Bool { name.value == "apt-get" && hasArgument("install") }

    /// apt-get, apt or aptitude installing packages.
    var isAptInstall: Bool { isAptName && hasArgument("install") }

    /// apt-get, apt or aptitude updating the package lists.
    var isAptUpdate: Bool { isAptName && hasArgument("update") }

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

// Rules ask `contains` in hot loops and mean a plain byte comparison; Foundation's goes through NSString. These
// overloads are more specific, so they win in this module.
extension String {
    /// Whether `other` occurs in the string, compared as UTF-8 bytes.
    func contains(_ other: String) -> Bool {
        // Most words asked about are shorter than what is looked for: no search at all.
        guard utf8.count >= other.utf8.count else { return false }
        return utf8Offset(of: other) != nil
    }

    /// Whether the string ends with the bytes of `suffix` (`hasSuffix` compares characters, which costs more).
    func hasUTF8Suffix(_ suffix: String) -> Bool {
        var text = self
        var tail = suffix
        return text.withUTF8 { bytes in
            tail.withUTF8 { end in bytes.count >= end.count && bytes[(bytes.count - end.count)...].elementsEqual(end) }
        }
    }
}

extension String {
    /// `uppercased()`, mapped byte by byte when the text is ASCII (names of variables nearly always are).
    func upperCasedName() -> String {
        utf8.allSatisfy({ $0 < 0x80 }) ? asciiUppercased() : uppercased()
    }

    /// `lowercased()`, mapped byte by byte when the text is ASCII.
    func lowerCasedName() -> String {
        utf8.allSatisfy({ $0 < 0x80 }) ? asciiLowercased() : lowercased()
    }

    /// Whether one of the `_`-separated words of the string is `word` (compared as bytes).
    func hasUnderscoreWord(_ word: String) -> Bool {
        var text = self
        var word = word
        return text.withUTF8 { bytes in
            word.withUTF8 { wanted in
                var start = 0
                while true {
                    var end = start
                    while end < bytes.count && bytes[end] != UInt8(ascii: "_") { end += 1 }
                    if end - start == wanted.count && bytes[start..<end].elementsEqual(wanted) { return true }
                    guard end < bytes.count else { return false }
                    start = end + 1
                }
            }
        }
    }
}

extension Substring {
    /// Whether `other` occurs in the substring, compared as UTF-8 bytes.
    func contains(_ other: String) -> Bool {
        var haystack = self
        var needle = other
        return haystack.withUTF8 { hay in needle.withUTF8 { ByteSearch.firstOffset(of: $0, in: hay) } } != nil
    }
}

extension LintedFile {
    /// Whether an instruction is ONBUILD (hadolint runs most RUN rules on ONBUILD RUN too, some not).
    func isOnbuild(_ index: Int) -> Bool { instructions[index].kind == .onbuild }

    /// The instruction (or ONBUILD trigger) BuildKit runs.
    func effectiveInstruction(_ index: Int) -> Instruction { instructions[index].trigger ?? instructions[index] }
}

extension LintRule {
    /// One finding per RUN (from its keyword through the first matching command) where a command named (as written)
    /// by one of `names` matches; only those commands are visited.
    func reportRuns(
        in file: LintedFile, named names: [String], includingOnbuild: Bool = true, where predicate: (ShellCommand) -> Bool
    ) -> [Finding] {
        reportRuns(in: file, among: file.commands(named: names), includingOnbuild: includingOnbuild, where: predicate)
    }

    /// One finding per RUN (from its keyword through the first matching command) where one of `candidates`, a
    /// subset of the file's commands in file order, matches.
    func reportRuns(
        in file: LintedFile, among candidates: [LocatedCommand], includingOnbuild: Bool = true, where predicate: (ShellCommand) -> Bool
    ) -> [Finding] {
        var findings: [Finding] = []
        var reportedInstruction = -1
        for located in candidates where located.instructionIndex != reportedInstruction {
            guard includingOnbuild || !file.isOnbuild(located.instructionIndex), predicate(located.command) else { continue }
            reportedInstruction = located.instructionIndex
            findings.append(finding(description.summary, at: file.instructionRange(through: located)))
        }
        return findings
    }

    /// One finding per RUN holding a command with one of `baseNames` for which `predicate` over all its commands holds.
    func reportRunScripts(
        in file: LintedFile, running baseNames: [String], where predicate: (Int, [ShellCommand]) -> Bool
    ) -> [Finding] {
        file.runInstructionIndices(running: baseNames).compactMap { index in
            predicate(index, file.commands(of: index).map(\.command))
                ? finding(description.summary, at: file.instructions[index].keyword.range) : nil
        }
    }
}

extension ShellCommand {
    /// Arguments without flags and without the values of the named flags (hadolint's dropFlagArg + getArgsNoFlags).
    func nonFlagArguments(droppingValuesOf names: Set<String>) -> [ShellWord] {
        var result: [ShellWord] = []
        var skipNext = false
        for argument in arguments {
            if skipNext { skipNext = false; continue }
            let value = argument.value
            if value.hasPrefix("-") && value != "-" && value != "--" {
                let flagNames: [String] = value.hasPrefix("--")
                    ? [String(value.dropFirst(2).prefix { $0 != "=" })] : value.dropFirst().map { String($0) }
                if !value.contains("="), flagNames.contains(where: names.contains) { skipNext = true }
                continue
            }
            if value == "--" { continue }
            result.append(argument)
        }
        return result
    }

    /// Whether a base name may be a pip install (`pip…` or `python… -m pip`): what `isPipInstall` needs first.
    static func mayInstallWithPip(_ baseName: String) -> Bool { baseName.hasPrefix("pip") || baseName.hasPrefix("python") }

    /// hadolint's isPipInstall: `pip… install` or `python… -m pip install`.
    var isPipInstall: Bool {
        let name = baseName
        let values = argumentValues
        if name.hasPrefix("pip") && !name.hasPrefix("pipenv") && values.contains("install") { return true }
        if name.hasPrefix("python"), let index = values.firstIndex(of: "-m"), index + 2 < values.count,
           values[index + 1] == "pip", values[index + 2] == "install" { return true }
        return false
    }

    /// Whether any flag of this command is one of `names`.
    func hasAnyFlag(_ names: Set<String>) -> Bool { flags.contains(where: names.contains) }

    /// Values following a short flag (`-u 1000` gives `1000`).
    func flagValues(_ name: String) -> [String] {
        var values: [String] = []
        for (index, argument) in arguments.enumerated() where argument.value.hasPrefix("-") && !argument.value.hasPrefix("--") {
            if argument.value.dropFirst().contains(Character(name)), index + 1 < arguments.count, !argument.value.contains("=") {
                values.append(arguments[index + 1].value)
            }
        }
        return values
    }
}

/// Whether `command` comes before `other` among the commands, if both appear (hadolint's findCommandIndex comparison).
func appearsBefore(_ commands: [ShellCommand], _ first: (ShellCommand) -> Bool, _ second: (ShellCommand) -> Bool) -> Bool {
    guard let firstIndex = commands.firstIndex(where: first), let secondIndex = commands.firstIndex(where: second) else { return false }
    return firstIndex < secondIndex
}

/// Whether a RUN has a cache or tmpfs mount whose target contains `fragment`.
func hasCacheMount(_ instruction: Instruction, containing fragment: String) -> Bool {
    guard let run = RunInstruction(instruction) else { return false }
    return run.mounts.contains { ($0.type == "cache" || $0.type == "tmpfs") && ($0.target ?? "").contains(fragment) }
}

/// Quotes removed from both ends (hadolint's dropQuotes).
func droppingQuotes(_ text: String) -> String {
    // Most words have no quotes: compare the end bytes before making a copy.
    let isQuote: (UInt8) -> Bool = { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "'") }
    guard let first = text.utf8.first, let last = text.utf8.last, isQuote(first) || isQuote(last) else { return text }
    var slice = Substring(text)
    while let first = slice.first, first == "\"" || first == "'" { slice = slice.dropFirst() }
    while let last = slice.last, last == "\"" || last == "'" { slice = slice.dropLast() }
    return String(slice)
}

/// Names that say where or which a secret is, not what it is: `SESSION_SECRET_FILE`, `TOKEN_PATH`, `VAULT_VERSION`.
/// The secrets rules pass them (a file, a path or a version is not the secret), whatever words come before.
enum SecretNameReference {
    static let lastWords: Set<String> = ["FILE", "FILES", "PATH", "PATHS", "DIR", "DIRS", "DIRECTORY", "VERSION", "VER", "NAME", "TYPE", "LENGTH"]

    /// `upperName`: the name upper-cased (``Swift/String/upperCasedName()``).
    static func isReference(_ upperName: String) -> Bool {
        let utf8 = upperName.utf8
        guard utf8.contains(UInt8(ascii: "_")) else { return false }
        // The last word that is not empty: `SECRET_FILE_` ends in FILE.
        var end = utf8.endIndex
        while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "_") { end = utf8.index(before: end) }
        let start = utf8[..<end].lastIndex(of: UInt8(ascii: "_")).map { utf8.index(after: $0) } ?? utf8.startIndex
        return lastWords.contains(String(upperName[start..<end]))
    }
}
