import Support
import DockerfileSyntax

/// Ignore pragmas: `# hadolint ignore=DL3008`, `# dockerkit ignore=DK101` before an instruction,
/// `# hadolint global ignore=…` anywhere, and BuildKit's `# check=skip=Name,…` directive.
struct Suppressions {
    struct Pragma {
        let codes: [String]
        let range: SourceRange
        /// The instruction the pragma applies to; nil for a global one.
        let instructionIndex: Int?
    }

    var pragmas: [Pragma] = []
    /// BuildKit check names skipped by `# check=skip=…`; `all` skips every BuildKit check.
    var skippedChecks: Set<String> = []
    /// Instruction index of each line (1-based) that an instruction covers, -1 for other lines. An array, not a
    /// dictionary: it is written for every line of every file.
    var instructionOfLine: [Int] = []

    init(tree: DockerfileSyntaxTree) {
        var pending: [(codes: [String], range: SourceRange)] = []
        var instructionIndex = 0
        instructionOfLine = Array(repeating: -1, count: tree.lineTable.lineCount + 2)
        for item in tree.items {
            switch item {
            case .comment(let trivia):
                if let (codes, isGlobal) = Suppressions.parsePragma(trivia.text) {
                    if isGlobal {
                        pragmas.append(Pragma(codes: codes, range: trivia.range, instructionIndex: nil))
                    } else {
                        pending.append((codes, trivia.range))
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
                for pragma in pending {
                    pragmas.append(Pragma(codes: pragma.codes, range: pragma.range, instructionIndex: instructionIndex))
                }
                pending.removeAll()
                for line in instruction.range.start.line...max(instruction.range.start.line, instruction.endLine)
                where line < instructionOfLine.count {
                    instructionOfLine[line] = instructionIndex
                }
                instructionIndex += 1
            default:
                break
            }
        }
    }

    /// Reads `hadolint ignore=A,B`, `hadolint global ignore=A`, `dockerkit ignore=A`.
    static func parsePragma(_ comment: String) -> (codes: [String], isGlobal: Bool)? {
        var text = Substring(comment)
        guard text.first == "#" else { return nil }
        text = text.dropFirst().drop { $0 == " " || $0 == "\t" }
        var isGlobal = false
        if text.hasPrefix("hadolint") {
            text = text.dropFirst("hadolint".count).drop { $0 == " " }
            if text.hasPrefix("global") {
                isGlobal = true
                text = text.dropFirst("global".count).drop { $0 == " " }
            }
        } else if text.hasPrefix("dockerkit") {
            text = text.dropFirst("dockerkit".count).drop { $0 == " " }
            if text.hasPrefix("global") {
                isGlobal = true
                text = text.dropFirst("global".count).drop { $0 == " " }
            }
        } else {
            return nil
        }
        guard text.hasPrefix("ignore") else { return nil }
        text = text.dropFirst("ignore".count).drop { $0 == " " }
        guard text.first == "=" else { return nil }
        let list = text.dropFirst().prefix { $0 != " " && $0 != "\t" && $0 != "#" }
        let codes = list.split(separator: ",").map { $0.trimming(" ") }.filter { !$0.isEmpty }
        return codes.isEmpty ? nil : (codes, isGlobal)
    }

    /// The pragma that suppresses `finding`, if any.
    /// A pragma may name the check by any of its codes (`primaryCode` resolves them).
    func suppressingPragma(for finding: Finding, isBuildKitCheck: Bool, primaryCode: (String) -> String) -> Int? {
        guard !pragmas.isEmpty else { return nil }
        let line = finding.range.start.line
        let instruction = line < instructionOfLine.count && instructionOfLine[line] >= 0 ? instructionOfLine[line] : nil
        for (index, pragma) in pragmas.enumerated() where pragma.codes.contains(where: { primaryCode($0) == finding.code }) {
            if pragma.instructionIndex == nil || pragma.instructionIndex == instruction { return index }
        }
        return nil
    }

    func skipsCheck(_ name: String) -> Bool {
        skippedChecks.contains("all") || skippedChecks.contains(name)
    }
}
