import Dispatch
import FoundationEssentials
import DockerfileSyntax
import Shell
import Knowledge
import Support
import Synchronization

/// One build stage.
/// A class: rules copy stages for every instruction they look at, and a copy of a class costs one retain where the
/// struct's strings and tokens cost about fifteen.
public final class Stage: Sendable {
    public let index: Int
    /// The name after `AS`, as written.
    public let name: String?
    public let from: FromInstruction
    /// The base image with ARGs declared before the first FROM expanded.
    public let baseImage: ImageReference
    /// The stage this one builds on, when its base is an earlier stage.
    public let parentStage: Int?
    /// Indices (into `LintedFile.instructions`) of this stage's instructions, FROM included.
    public let instructionIndices: Range<Int>
    public let distribution: Distribution?

    init(
        index: Int, name: String?, from: FromInstruction, baseImage: ImageReference, parentStage: Int?, instructionIndices: Range<Int>,
        distribution: Distribution?
    ) {
        self.index = index
        self.name = name
        self.from = from
        self.baseImage = baseImage
        self.parentStage = parentStage
        self.instructionIndices = instructionIndices
        self.distribution = distribution
    }
}

/// A shell script of a RUN instruction (its command text or a heredoc body) and where it starts in the instruction.
/// Immutable and shared: rules pass it around with every command, so it is a class (one retain per copy). It holds
/// no source position, so an editor's next version reuses it for the same instruction wherever that has moved.
public final class RunScript: Sendable {
    public let script: ShellScript
    /// Offset of the script in the instruction's text, or of a heredoc body from the instruction's first byte.
    let base: Int
    let isHeredoc: Bool
    /// What the file-wide rules that read every command ask first of its commands.
    let facts: ScriptFacts

    init(script: ShellScript, base: Int, isHeredoc: Bool) {
        self.script = script
        self.base = base
        self.isHeredoc = isHeredoc
        facts = ScriptFacts(of: script)
    }
}

/// A file ready for the rules: its tree, stages, scopes and parsed RUN scripts, built once.
public struct LintedFile: Sendable {
    // Variables, not constants, so that an editor's next version is this one with the edited instructions replaced
    // in place (``replaceInstructions(_:with:of:instructions:)``).
    public let path: String
    public private(set) var tree: DockerfileSyntaxTree
    public let configuration: LintConfiguration
    public private(set) var instructions: [Instruction]
    public private(set) var stages: [Stage]
    /// For each instruction, its stage (nil before the first FROM).
    public private(set) var stageOfInstruction: [Int?]
    /// For each instruction, the RUN scripts it holds (RUN and ONBUILD RUN).
    public private(set) var runScripts: [[RunScript]]
    /// ARGs declared before the first FROM, with their defaults.
    public private(set) var globalArguments: [String: String]
    /// Every command of the file, in order.
    private(set) var locatedCommands: [LocatedCommand]
    /// For each instruction, where its commands start in `locatedCommands` (one more entry for the end), so that
    /// an instruction's commands are a slice of one array rather than an array each.
    private(set) var commandStarts: [Int32]
    /// Indices of RUN and ONBUILD RUN instructions.
    private(set) var runInstructionIndices: [Int]
    /// For each instruction, its RUN scripts' ``ScriptFacts`` together.
    private(set) var scriptFacts: [ScriptFacts]
    // Rules visit only the instructions and commands they check: on a large file the tree does not fit in cache,
    // and following every instruction's pointer in each of a hundred rules would miss the cache each time.
    /// Instruction indices by kind (`InstructionKind.allCases` order).
    private(set) var indicesByKind: [[Int]]
    /// Positions in `locatedCommands` by the command's base name (`/usr/bin/pip3` is under `pip3`).
    private(set) var commandPositionsByBaseName: [String: [Int]]
    /// One bit per class (first byte and length) of the base names present: most questions are about commands a file
    /// does not run, and this answers them without hashing the name.
    private(set) var baseNameBits: UInt64

    public init(path: String, tree: DockerfileSyntaxTree, configuration: LintConfiguration) {
        self.init(path: path, tree: tree, instructions: tree.instructions, configuration: configuration)
    }

    /// `instructions`: the tree's, when the caller has made them already.
    init(path: String, tree: DockerfileSyntaxTree, instructions: [Instruction], configuration: LintConfiguration) {
        self.path = path
        self.tree = tree
        self.configuration = configuration
        self.instructions = instructions
        stageOfInstruction = Array(repeating: nil, count: instructions.count)
        (stages, globalArguments) = LintedFile.stages(of: instructions, escapeToken: tree.escapeToken, marking: &stageOfInstruction)
        let scripts = LintedFile.scripts(of: instructions)
        runScripts = scripts
        let commands = LintedFile.commands(of: scripts, from: 0, startingAt: 0)
        locatedCommands = commands.located
        commandStarts = [Int32](repeating: 0, count: instructions.count + 1)
        commandStarts.replaceRuns(of: instructions.indices, withCounts: commands.counts)
        runInstructionIndices = scripts.indices.filter { !scripts[$0].isEmpty }
        scriptFacts = scripts.map(LintedFile.facts(of:))
        commandPositionsByBaseName = commands.positionsByBaseName.dictionary
        baseNameBits = commandPositionsByBaseName.keys.reduce(0) { $0 | LintedFile.baseNameBit($1) }
        indicesByKind = LintedFile.indicesByKind(of: instructions, in: instructions.indices)
    }

    /// The stages of `instructions` and the ARGs before the first FROM; each instruction's stage is written into
    /// `stageOfInstruction` (one entry per instruction, overwritten in place).
    private static func stages(of instructions: [Instruction], escapeToken: UInt8, marking stageOfInstruction: inout [Int?])
        -> (stages: [Stage], globals: [String: String]) {
        // The ARGs before the first FROM are the global scope FROM lines expand.
        let buildStages = DockerfileSyntaxTree.buildStages(of: instructions)
        var globals: [String: String] = [:]
        for instruction in instructions[..<(buildStages.first?.instructionIndices.lowerBound ?? instructions.count)] {
            guard let arg = ArgInstruction(instruction) else { continue }
            for definition in arg.definitions {
                globals[definition.name] = definition.defaultValue.map { LintedFile.unquote($0, escapeToken) } ?? ""
            }
        }
        var stages: [Stage] = []
        stages.reserveCapacity(buildStages.count)
        for index in 0..<(buildStages.first?.instructionIndices.lowerBound ?? instructions.count) { stageOfInstruction[index] = nil }
        // Lower-cased stage names to the first stage of that name: a FROM naming an earlier stage builds on it.
        var stageIndexByName: [String: Int] = [:]
        for buildStage in buildStages {
            let from = buildStage.from
            for index in buildStage.instructionIndices { stageOfInstruction[index] = buildStage.index }
            let expanded = LintedFile.expand(from.image?.text ?? "", globals)
            let reference = ImageReference(expanded)
            let parent = stageIndexByName[expanded.lowercased()]
            if let name = from.stageName?.text.lowercased(), stageIndexByName[name] == nil { stageIndexByName[name] = stages.count }
            let distribution = parent.flatMap { stages[$0].distribution } ?? Distribution(image: reference)
            stages.append(Stage(
                index: buildStage.index, name: from.stageName?.text, from: from, baseImage: reference, parentStage: parent,
                instructionIndices: buildStage.instructionIndices, distribution: distribution))
        }
        return (stages, globals)
    }

    /// The commands of `scripts` (each instruction's, the first being instruction `firstIndex`), the first placed at
    /// `firstPosition` of `locatedCommands`: the commands, how many each instruction has, and their positions by base
    /// name.
    private static func commands(of scripts: some Collection<[RunScript]>, from firstIndex: Int, startingAt firstPosition: Int)
        -> (located: [LocatedCommand], counts: [Int], positionsByBaseName: BaseNameIndex) {
        var located: [LocatedCommand] = []
        var counts: [Int] = []
        var positionsByBaseName = BaseNameIndex()
        counts.reserveCapacity(scripts.count)
        for (offset, scripts) in scripts.enumerated() {
            let first = located.count
            defer { counts.append(located.count - first) }
            for script in scripts {
                for (position, command) in script.script.commands.enumerated() {
                    positionsByBaseName.append(firstPosition + located.count, to: command.baseName)
                    located.append(LocatedCommand(instructionIndex: firstIndex + offset, script: script, commandIndex: position))
                }
            }
        }
        return (located, counts, positionsByBaseName)
    }

    private static func facts(of scripts: [RunScript]) -> ScriptFacts {
        scripts.reduce(into: ScriptFacts()) { $0.formUnion($1.facts) }
    }

    /// The indices in `range` of `instructions`, by kind (``indicesByKind``'s order).
    private static func indicesByKind(of instructions: [Instruction], in range: Range<Int>) -> [[Int]] {
        var byKind = [[Int]](repeating: [], count: InstructionKind.allCases.count)
        for index in range { byKind[LintedFile.ordinal(of: instructions[index].kind)].append(index) }
        return byKind
    }

    private static func ordinal(of kind: InstructionKind) -> Int {
        switch kind {
        case .add: return 0
        case .arg: return 1
        case .cmd: return 2
        case .copy: return 3
        case .entrypoint: return 4
        case .env: return 5
        case .expose: return 6
        case .from: return 7
        case .healthcheck: return 8
        case .label: return 9
        case .maintainer: return 10
        case .onbuild: return 11
        case .run: return 12
        case .shell: return 13
        case .stopsignal: return 14
        case .user: return 15
        case .volume: return 16
        case .workdir: return 17
        case .unknown: return 18
        }
    }

    /// The file as instruction-scoped rules see it when only the instructions in `region` changed: the indices rules
    /// find instructions and commands through hold only those instructions; everything else is the whole file.
    func focused(on region: Range<Int>) -> LintedFile {
        let commands = Int(commandStarts[region.lowerBound])..<Int(commandStarts[region.upperBound])
        var file = self
        file.runInstructionIndices = Array(runInstructionIndices[LintedFile.positions(of: region, in: runInstructionIndices)])
        file.indicesByKind = indicesByKind.map { Array($0[LintedFile.positions(of: region, in: $0)]) }
        file.commandPositionsByBaseName = commandPositionsByBaseName.compactMapValues { positions in
            let kept = positions[LintedFile.positions(of: commands, in: positions)]
            return kept.isEmpty ? nil : Array(kept)
        }
        return file
    }

    /// Where the values in `values` lie in `sorted`, an ascending array.
    private static func positions(of values: Range<Int>, in sorted: [Int]) -> Range<Int> {
        let lower = sorted.partitioningIndex { $0 >= values.lowerBound }
        return lower..<max(lower, sorted.partitioningIndex { $0 >= values.upperBound })
    }

    /// Replaces, in an ascending array, the values in `removed` by `inserted` (ascending, between the values before
    /// and after) and adds `shift` to the values after them.
    private static func replaceValues(_ removed: Range<Int>, in sorted: inout [Int], with inserted: [Int], shifting shift: Int) {
        let positions = positions(of: removed, in: sorted)
        sorted.replaceSubrange(positions, with: inserted)
        guard shift != 0 else { return }
        for position in (positions.lowerBound + inserted.count)..<sorted.count { sorted[position] += shift }
    }

    /// Makes this file the one of an edited version of its text, `tree` (whose instructions are `instructions`): its
    /// instructions in `old` were replaced by those in `new`, and those before and after read the same bytes. Only
    /// the replaced instructions' scripts are read; the other instructions' parts move over in place (a file held
    /// once is changed without copying), and their indices move by the change in count.
    mutating func replaceInstructions(_ old: Range<Int>, with new: Range<Int>, of tree: DockerfileSyntaxTree, instructions: [Instruction]) {
        let shift = new.count - old.count
        self.tree = tree
        self.instructions = instructions
        stageOfInstruction.replaceSubrange(old, with: repeatElement(nil, count: new.count))
        (stages, globalArguments) = LintedFile.stages(of: instructions, escapeToken: tree.escapeToken, marking: &stageOfInstruction)
        let scripts = instructions[new].map(LintedFile.scripts(of:))
        runScripts.replaceSubrange(old, with: scripts)
        scriptFacts.replaceSubrange(old, with: scripts.map(LintedFile.facts(of:)))

        let commands = LintedFile.commands(of: scripts, from: new.lowerBound, startingAt: Int(commandStarts[old.lowerBound]))
        let oldCommands = commandStarts.replaceRuns(of: old, withCounts: commands.counts)
        let commandShift = commands.located.count - oldCommands.count
        locatedCommands.replaceSubrange(oldCommands, with: commands.located)
        if shift != 0 {
            for position in (oldCommands.lowerBound + commands.located.count)..<locatedCommands.count {
                locatedCommands[position].moveInstruction(by: shift)
            }
        }

        LintedFile.replaceValues(old, in: &runInstructionIndices, with: new.filter { !scripts[$0 - new.lowerBound].isEmpty }, shifting: shift)
        let newByKind = LintedFile.indicesByKind(of: instructions, in: new)
        for kind in indicesByKind.indices {
            LintedFile.replaceValues(old, in: &indicesByKind[kind], with: newByKind[kind], shifting: shift)
        }
        let inserted = commands.positionsByBaseName.dictionary
        var emptied: [String] = []
        for index in commandPositionsByBaseName.indices {
            let name = commandPositionsByBaseName.keys[index]
            LintedFile.replaceValues(oldCommands, in: &commandPositionsByBaseName.values[index], with: inserted[name] ?? [], shifting: commandShift)
            if commandPositionsByBaseName.values[index].isEmpty { emptied.append(name) }
        }
        for name in emptied { commandPositionsByBaseName[name] = nil }
        for (name, positions) in inserted where commandPositionsByBaseName[name] == nil { commandPositionsByBaseName[name] = positions }
        baseNameBits = commandPositionsByBaseName.keys.reduce(0) { $0 | LintedFile.baseNameBit($1) }
    }

    /// Indices of the instructions of these kinds, in file order (ONBUILD triggers count as ONBUILD).
    public func instructionIndices(of kinds: InstructionKind...) -> [Int] { instructionIndices(of: kinds) }

    /// Indices of the instructions of these kinds, in file order.
    public func instructionIndices(of kinds: [InstructionKind]) -> [Int] {
        guard kinds.count > 1 else { return kinds.first.map { indicesByKind[LintedFile.ordinal(of: $0)] } ?? [] }
        return kinds.flatMap { indicesByKind[LintedFile.ordinal(of: $0)] }.sorted()
    }

    /// The commands named (as written) by any of `names`, in file order.
    func commands(named names: String...) -> [LocatedCommand] { commands(named: names) }

    /// The commands named (as written) by any of `names`, in file order.
    func commands(named names: [String]) -> [LocatedCommand] {
        commandPositions(baseNamed: names.map(ShellCommand.baseName(of:)))
            .filter { names.contains(locatedCommands[$0].command.name.value) }
            .map { locatedCommands[$0] }
    }

    /// The commands whose base name (`pip3` for `/usr/bin/pip3`) is one of `baseNames`, in file order.
    func commands(baseNamed baseNames: [String]) -> [LocatedCommand] {
        commandPositions(baseNamed: baseNames).map { locatedCommands[$0] }
    }

    /// The commands whose base name passes `matches` (asked once per distinct name), in file order.
    func commands(baseNameWhere matches: (String) -> Bool) -> [LocatedCommand] {
        commandPositions(baseNameWhere: matches).map { locatedCommands[$0] }
    }

    /// Indices of the RUN instructions holding a command with one of these base names, in file order.
    func runInstructionIndices(running baseNames: [String]) -> [Int] {
        instructionIndices(holding: commandPositions(baseNamed: baseNames))
    }

    /// Indices of the RUN instructions holding a command whose base name passes `matches`, in file order.
    func runInstructionIndices(runningBaseNameWhere matches: (String) -> Bool) -> [Int] {
        instructionIndices(holding: commandPositions(baseNameWhere: matches))
    }

    /// The instructions the commands at `positions` (in file order) belong to, each once. Positions, not commands:
    /// copying a command costs two reference counts, and these callers only want its instruction.
    private func instructionIndices(holding positions: [Int]) -> [Int] {
        var indices: [Int] = []
        for position in positions {
            let index = locatedCommands[position].instructionIndex
            if indices.last != index { indices.append(index) }
        }
        return indices
    }

    private func commandPositions(baseNameWhere matches: (String) -> Bool) -> [Int] {
        commandPositionsByBaseName.filter { matches($0.key) }.flatMap(\.value).sorted()
    }

    private func commandPositions(baseNamed baseNames: [String]) -> [Int] {
        if baseNames.count == 1 {
            guard baseNameBits & LintedFile.baseNameBit(baseNames[0]) != 0 else { return [] }
            return commandPositionsByBaseName[baseNames[0]] ?? []
        }
        var positions: [Int] = []
        for (offset, name) in baseNames.enumerated() where baseNameBits & LintedFile.baseNameBit(name) != 0 && !baseNames[..<offset].contains(name) {
            positions += commandPositionsByBaseName[name] ?? []
        }
        return positions.sorted()
    }

    /// Command positions by base name, built without hashing each command's name: a file's commands repeat a few
    /// names, and a name is first compared with the one last seen of its first byte and length (two small strings
    /// that are equal compare by their bits); only a new name is hashed.
    private struct BaseNameIndex {
        private var positions: [[Int]] = []
        private var slotByName: [String: Int] = [:]
        private var recent = [(name: String, slot: Int)?](repeating: nil, count: 64)

        mutating func append(_ position: Int, to name: String) {
            let key = LintedFile.baseNameClass(name)
            let slot: Int
            if let seen = recent[key], seen.name == name {
                slot = seen.slot
            } else if let known = slotByName[name] {
                slot = known
                recent[key] = (name, known)
            } else {
                slot = positions.count
                positions.append([])
                slotByName[name] = slot
                recent[key] = (name, slot)
            }
            positions[slot].append(position)
        }

        var dictionary: [String: [Int]] {
            slotByName.mapValues { positions[$0] }
        }
    }

    /// A name's class, of 64, by its first byte and length.
    private static func baseNameClass(_ name: String) -> Int {
        let utf8 = name.utf8
        return Int((UInt64(utf8.first ?? 0) &* 7 &+ UInt64(truncatingIfNeeded: utf8.count)) & 63)
    }

    private static func baseNameBit(_ name: String) -> UInt64 {
        1 << UInt64(baseNameClass(name))
    }

    static func expand(_ word: String, _ environment: [String: String]) -> String {
        var expander = ShellWordExpander()
        expander.leavesUnsetVariables = true
        return (try? expander.expand(word, environment: environment).value) ?? word
    }

    static func unquote(_ word: String, _ escapeToken: UInt8) -> String {
        var expander = ShellWordExpander(escapeToken: Unicode.Scalar(escapeToken))
        expander.leavesUnsetVariables = true
        return (try? expander.expand(word, environment: [:]).value) ?? word
    }

    /// Each instruction's RUN scripts. A large file's are read on every core, in runs of instructions: reading the
    /// scripts is most of building a large file, which otherwise runs on one core while the rules after it use all.
    static func scripts(of instructions: [Instruction]) -> [[RunScript]] {
        guard instructions.count >= Linter.parallelRulesThreshold else { return instructions.map(scripts(of:)) }
        let runLength = 1024
        let runCount = (instructions.count + runLength - 1) / runLength
        let runs = Mutex([[[RunScript]]](repeating: [], count: runCount))
        DispatchQueue.concurrentPerform(iterations: runCount) { run in
            let read = instructions[(run * runLength)..<min(instructions.count, (run + 1) * runLength)].map(scripts(of:))
            runs.withLock { $0[run] = read }
        }
        return runs.withLock { runs in
            var scripts: [[RunScript]] = []
            scripts.reserveCapacity(instructions.count)
            for run in runs.indices {
                scripts.append(contentsOf: runs[run])
                runs[run] = []
            }
            return scripts
        }
    }

    /// The RUN scripts of an instruction.
    static func scripts(of instruction: Instruction) -> [RunScript] {
        var scripts: [RunScript] = []
        forEachScriptText(of: instruction) { text, base, isHeredoc in
            scripts.append(RunScript(script: ShellScript(text), base: base, isHeredoc: isHeredoc))
        }
        return scripts
    }

    /// Hands `body` the texts of an instruction's RUN scripts, with where each starts (``RunScript/base``): the
    /// command text (or, in exec form, the words joined, for command detection) and each heredoc body. A closure, not
    /// an array of tuples, whose type the runtime would build on every run.
    private static func forEachScriptText(of instruction: Instruction, _ body: (_ text: String, _ base: Int, _ isHeredoc: Bool) -> Void) {
        let target = instruction.trigger ?? instruction
        guard target.kind == .run else { return }
        if target.isJSON {
            // Exec form: only `sh -c "…"` style bodies are scripts; join the words for command detection.
            if let first = target.values.first, let offsets = first.textOffsets {
                body(target.values.map(\.text).joined(separator: " "), offsets.lowerBound, false)
            }
            return
        }
        if let command = target.values.first, let offsets = command.textOffsets {
            body(command.text, offsets.lowerBound, false)
        }
        for heredoc in instruction.heredocs {
            body(heredoc.content, heredoc.bodyRange.start.offset - instruction.range.start.offset, true)
        }
    }

    /// The text `script` was read from: made again from its instruction, since scripts keep no text (a large file's
    /// would double its RUNs in memory, and only fixes and ShellCheck ask).
    func text(of script: RunScript, at instructionIndex: Int) -> String {
        var found: String?
        LintedFile.forEachScriptText(of: instructions[instructionIndex]) { text, base, isHeredoc in
            if found == nil, base == script.base, isHeredoc == script.isHeredoc { found = text }
        }
        return found ?? ""
    }

    /// The source range of offsets in a script of the instruction at `instructionIndex`.
    public func range(_ offsets: Range<Int>, in script: RunScript, of instructionIndex: Int) -> SourceRange {
        let instruction = instructions[instructionIndex]
        if script.isHeredoc {
            let start = instruction.range.start.offset + script.base
            return tree.lineTable.range((start + offsets.lowerBound)..<(start + offsets.upperBound))
        }
        return (instruction.trigger ?? instruction).sourceRange(
            ofTextOffsets: (script.base + offsets.lowerBound)..<(script.base + offsets.upperBound), lineTable: tree.lineTable)
    }

    /// Every command of every RUN of the file, with the instruction index and script it belongs to.
    public var allCommands: [(instruction: Int, script: RunScript, command: ShellCommand)] {
        var result: [(Int, RunScript, ShellCommand)] = []
        for (index, scripts) in runScripts.enumerated() {
            for script in scripts {
                for command in script.script.commands { result.append((index, script, command)) }
            }
        }
        return result
    }

    /// The stage an instruction belongs to.
    public func stage(of instructionIndex: Int) -> Stage? {
        stageOfInstruction[instructionIndex].map { stages[$0] }
    }

    /// The source text of a range.
    public func text(_ range: SourceRange) -> String { tree.text(of: range) }
}

extension LintedFile {
    /// The stage a `--target` names (by name, any case, or by index), or nil when there is none.
    public func stage(named target: String) -> Int? {
        if let index = Int(target), stages.indices.contains(index) { return index }
        return stages.first { $0.name?.lowercased() == target.lowercased() }?.index
    }

    /// The stages a build of `target` needs, as BuildKit sees them: the target, the stage each one is built FROM,
    /// and those named by `COPY --from`, `ADD --from` and `RUN --mount from=`; nil when no stage is `target`.
    public func stages(reachedBy target: String) -> Set<Int>? {
        guard let start = stage(named: target) else { return nil }
        var reached: Set<Int> = []
        var pending = [start]
        while let index = pending.popLast() {
            guard reached.insert(index).inserted else { continue }
            let stage = stages[index]
            if let parent = stage.parentStage { pending.append(parent) }
            for instructionIndex in stage.instructionIndices {
                let instruction = instructions[instructionIndex]
                var sources: [String] = []
                if instruction.kind == .copy || instruction.kind == .add, let from = instruction.flag("from")?.value { sources.append(from) }
                if let run = RunInstruction(instruction) { sources += run.mounts.compactMap(\.from) }
                for source in sources {
                    // Only earlier stages can be named; a later or unknown name is an image.
                    if let named = self.stage(named: source), named < index { pending.append(named) }
                }
            }
        }
        return reached
    }
}

