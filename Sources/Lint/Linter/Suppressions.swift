import Support
import DockerfileSyntax

/// Ignore pragmas: `# hadolint ignore=DL3008`, `# dockerkit ignore=DK101` before an instruction,
/// `# hadolint stage ignore=…` before a FROM (its whole stage), `# hadolint global ignore=…` anywhere,
/// `# hadolint shell=NAME`, and BuildKit's `# check=skip=Name,…` directive.
struct Suppressions {
    enum Scope {
        case instruction, stage, global
    }

    struct Pragma {
        let codes: [String]
        let range: SourceRange
        /// The instructions the pragma applies to; nil for a global one.
        let instructions: ClosedRange<Int>?
    }

    /// The shell `# hadolint shell=` names (`powershell`), if any: ShellCheck reads only POSIX shells.
    var shell: String?

    var pragmas: [Pragma] = []
    /// BuildKit check names skipped by `# check=skip=…`; `all` skips every BuildKit check.
    var skippedChecks: Set<String> = []
    /// Instruction index of each line (1-based) that an instruction covers, -1 for other lines; empty when no pragma
    /// names instructions (most files), so that a file without one pays nothing per line. An array, not a dictionary.
    private var instructionOfLine: [Int32] = []
    /// The pragmas (by index) that apply to each instruction, and those that apply everywhere: a finding is checked
    /// against its own few, however many the file has.
    private var pragmasByInstruction: [Int: [Int]] = [:]
    private var globalPragmas: [Int] = []

    init(tree: DockerfileSyntaxTree) {
        // Most files hold no pragma; for them the instructions are not visited (on a large file each is a cache miss).
        let mayHoldPragma = tree.items.contains { item in
            switch item {
            case .comment(let trivia): return Suppressions.mayBePragma(at: trivia.range.offsets, in: tree.source)
            case .directive(let directive): return directive.name == "check"
            default: return false
            }
        }
        guard mayHoldPragma else { return }
        var pending: [(codes: [String], range: SourceRange, scope: Scope)] = []
        // Stage pragmas waiting for their stage to end: (codes, range, first instruction).
        var openStages: [(codes: [String], range: SourceRange, first: Int)] = []
        var instructionIndex = 0
        func closeStages(before end: Int) {
            for stage in openStages where end > stage.first {
                pragmas.append(Pragma(codes: stage.codes, range: stage.range, instructions: stage.first...(end - 1)))
            }
            openStages.removeAll()
        }
        for item in tree.items {
            switch item {
            case .comment(let trivia):
                guard Suppressions.mayBePragma(at: trivia.range.offsets, in: tree.source) else { continue }
                let text = trivia.text
                if let shell = Suppressions.parseShellPragma(text) { self.shell = shell }
                if let (codes, scope) = Suppressions.parsePragma(text) {
                    if scope == .global {
                        pragmas.append(Pragma(codes: codes, range: trivia.range, instructions: nil))
                    } else {
                        pending.append((codes, trivia.range, scope))
                    }
                }
            case .directive(let directive) where directive.name == "check":
                for part in directive.value.split(separator: ";") {
                    let field = part.trimming(" ")
                    if field.lowercased().hasPrefix("skip=") {
                        for name in field.dropFirst(5).split(separator: ",") {
                            skippedChecks.insert(name.trimming(" "))
                        }
                    }
                }
            case .blankLine:
                pending.removeAll()
            case .instruction(let instruction):
                if instruction.kind == .from { closeStages(before: instructionIndex) }
                for pragma in pending {
                    switch pragma.scope {
                    case .instruction:
                        pragmas.append(Pragma(codes: pragma.codes, range: pragma.range, instructions: instructionIndex...instructionIndex))
                    case .stage where instruction.kind == .from:
                        openStages.append((pragma.codes, pragma.range, instructionIndex))
                    default:
                        // A stage pragma that does not stand before a FROM applies to nothing, as in hadolint.
                        break
                    }
                }
                pending.removeAll()
                instructionIndex += 1
            default:
                break
            }
        }
        closeStages(before: instructionIndex)
        for (index, pragma) in pragmas.enumerated() {
            guard let instructions = pragma.instructions else {
                globalPragmas.append(index)
                continue
            }
            for instruction in instructions { pragmasByInstruction[instruction, default: []].append(index) }
        }
        if !pragmasByInstruction.isEmpty { instructionOfLine = Self.instructionOfLine(in: tree) }
    }

    /// Each line's instruction index (1-based lines), -1 for lines outside instructions.
    private static func instructionOfLine(in tree: DockerfileSyntaxTree) -> [Int32] {
        var result = [Int32](repeating: -1, count: tree.lineTable.lineCount + 2)
        var index = 0
        for item in tree.items {
            guard case .instruction(let instruction) = item else { continue }
            for line in instruction.range.start.line...max(instruction.range.start.line, instruction.endLine) where line < result.count {
                result[line] = Int32(clamping: index)
            }
            index += 1
        }
        return result
    }

    /// Whether the comment at `offsets` of `source` starts `# hadolint` or `# dockerkit`, read as bytes: nearly every
    /// comment is prose, and this spares making its text and reading it as characters.
    static func mayBePragma(at offsets: Range<Int>, in source: [UInt8]) -> Bool {
        var index = offsets.lowerBound
        guard index < offsets.upperBound, index < source.count, source[index] == UInt8(ascii: "#") else { return false }
        index += 1
        while index < offsets.upperBound && index < source.count && (source[index] == 0x20 || source[index] == 0x09) { index += 1 }
        let rest = source[index..<min(offsets.upperBound, source.count)]
        return rest.starts(with: "hadolint".utf8) || rest.starts(with: "dockerkit".utf8)
    }

    /// Reads `hadolint shell=powershell`.
    static func parseShellPragma(_ comment: String) -> String? {
        var text = Substring(comment)
        guard text.first == "#" else { return nil }
        text = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        guard text.hasPrefix("hadolint") else { return nil }
        text = text.dropFirst("hadolint".count).drop { $0 == " " }
        guard text.hasPrefix("shell") else { return nil }
        text = text.dropFirst("shell".count).drop { $0 == " " }
        guard text.first == "=" else { return nil }
        let name = text.dropFirst().drop { $0 == " " }.prefix { $0 != " " && $0 != "\t" }
        return name.isEmpty ? nil : String(name)
    }

    /// Reads `hadolint ignore=A,B`, `hadolint global ignore=A`, `hadolint stage ignore=A`, `dockerkit ignore=A`.
    static func parsePragma(_ comment: String) -> (codes: [String], scope: Scope)? {
        var text = Substring(comment)
        guard text.first == "#" else { return nil }
        text = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        var scope = Scope.instruction
        guard let tool = ["hadolint", "dockerkit"].first(where: { text.hasPrefix($0) }) else { return nil }
        text = text.dropFirst(tool.count).drop { $0 == " " }
        for (word, wordScope) in [("global", Scope.global), ("stage", Scope.stage)] where text.hasPrefix(word) {
            scope = wordScope
            text = text.dropFirst(word.count).drop { $0 == " " }
        }
        guard text.hasPrefix("ignore") else { return nil }
        text = text.dropFirst("ignore".count).drop { $0 == " " }
        guard text.first == "=" else { return nil }
        let list = text.dropFirst().prefix { $0 != " " && $0 != "\t" && $0 != "#" }
        let codes = list.split(separator: ",").map { $0.trimming(" ") }.filter { !$0.isEmpty }
        return codes.isEmpty ? nil : (codes, scope)
    }

    /// The pragma that suppresses `finding`, if any.
    /// A pragma may name the check by any of its codes (`primaryCode` resolves them).
    func suppressingPragma(for finding: Finding, primaryCode: (String) -> String) -> Int? {
        guard !pragmas.isEmpty else { return nil }
        let line = finding.range.start.line
        let instruction = line < instructionOfLine.count && instructionOfLine[line] >= 0 ? Int(instructionOfLine[line]) : nil
        // The first pragma in file order, as when every pragma was tried in turn.
        var candidates = globalPragmas
        if let instruction, let own = pragmasByInstruction[instruction] { candidates = (candidates + own).sorted() }
        return candidates.first { pragmas[$0].codes.contains { primaryCode($0) == finding.code } }
    }

    func skipsCheck(_ name: String) -> Bool {
        skippedChecks.contains("all") || skippedChecks.contains(name)
    }
}
