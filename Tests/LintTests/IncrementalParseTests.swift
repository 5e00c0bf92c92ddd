import DockerfileSyntax
import Testing

/// Parsing an edited file against its previous tree (what the editor does) gives exactly the tree a full parse
/// gives: every item, range, token, line, segment, heredoc, error and warning.
@Suite struct IncrementalParseTests {
    /// Text edits bring in: continuations, heredocs, comments, quotes, line breaks, directives, the other escape.
    static let snippets = ["\\\n", "<<EOF\n", "EOF\n", "#", "# escape=`\n", "`\n", "\"", "'", "\n", "\r\n", "RUN a && b\n",
                           "FROM x AS y\n", "ONBUILD RUN z\n", "  ", "--mount=type=cache,target=/c ", "ENV A=1 B=2\n", "\u{FEFF}"]

    static func edit(_ input: [UInt8], _ generator: inout SeededGenerator) -> [UInt8] {
        var bytes = input
        let position = Int.random(in: 0...bytes.count, using: &generator)
        switch Int.random(in: 0..<4, using: &generator) {
        case 0:
            bytes.insert(contentsOf: Array((snippets.randomElement(using: &generator) ?? "").utf8), at: position)
        case 1:
            let end = min(bytes.count, position + Int.random(in: 1...12, using: &generator))
            bytes.removeSubrange(position..<end)
        case 2:
            let end = min(bytes.count, position + Int.random(in: 1...40, using: &generator))
            bytes.insert(contentsOf: Array(bytes[position..<end]), at: Int.random(in: 0...bytes.count, using: &generator))
        default:
            if position < bytes.count { bytes[position] = UInt8.random(in: 0x20...0x7E, using: &generator) }
        }
        return bytes
    }

    /// Everything a tree says, positions included, as lines of text.
    static func dump(_ tree: DockerfileSyntaxTree) -> [String] {
        func place(_ range: SourceRange) -> String {
            "\(range.start.offset)@\(range.start.line):\(range.start.column)-\(range.end.offset)@\(range.end.line):\(range.end.column)"
        }
        func token(_ token: SyntaxToken?) -> String {
            token.map { "\($0.text)|\(place($0.range))|\(String(describing: $0.textOffsets))" } ?? "-"
        }
        func describe(_ instruction: Instruction) -> String {
            let lines = instruction.lines.map { "\($0.kind) \(place($0.range))" }.joined(separator: ",")
            let segments = instruction.textSegments.map { "\($0.textOffset)/\($0.sourceOffset)/\($0.length)" }.joined(separator: ",")
            let flags = instruction.flags.map { "\($0.text)|\($0.name)|\($0.value ?? "-")|\(place($0.range))" }.joined(separator: ",")
            let heredocs = instruction.heredocs.map { heredoc in
                "\(heredoc.name)|\(heredoc.fileDescriptor)|\(heredoc.stripsLeadingTabs)|\(heredoc.expands)|\(heredoc.content)|"
                    + "\(place(heredoc.bodyRange))|\(heredoc.terminatorRange.map(place) ?? "-")"
            }.joined(separator: ",")
            return "\(instruction.kind) \(place(instruction.range)) \(instruction.startLine)-\(instruction.endLine) [\(instruction.text)] "
                + "key \(token(instruction.keyword)) flags \(flags) args \(token(instruction.arguments)) "
                + "values \(instruction.values.map(token).joined(separator: ",")) seps \(instruction.keyValueSeparators) json \(instruction.isJSON) "
                + "lines \(lines) segments \(segments) heredocs \(heredocs) trigger \(instruction.trigger.map(describe) ?? "-")"
        }
        var lines = tree.items.map { item -> String in
            switch item {
            case .byteOrderMark(let range): return "bom \(place(range))"
            case .directive(let directive): return "directive \(directive.name)=\(directive.value) \(place(directive.range)) \(place(directive.valueRange))"
            case .comment(let trivia): return "comment \(place(trivia.range)) \(trivia.text)"
            case .blankLine(let trivia): return "blank \(place(trivia.range)) \(trivia.text)"
            case .instruction(let value): return describe(value)
            }
        }
        lines += tree.errors.map { "error \(place($0.range)) \($0.message)" }
        lines += tree.warnings.map { "warning \(place($0.range)) \($0.message)" }
        lines.append("escape \(tree.escapeToken)")
        lines.append("line starts \((0..<tree.lineTable.lineCount).map(tree.lineTable.lineStart)) of \(tree.lineTable.byteCount)")
        return lines
    }

    @Test func editedFilesParseAgainstTheirPreviousTreeAsAFullParseDoes() {
        var generator = SeededGenerator(state: 7)
        var mismatches: [String] = []
        let seeds = MutationTests.seeds()
        #expect(seeds.count > 20)
        for (number, seed) in seeds.enumerated() where seed.count < 64 << 10 {
            var text = seed
            var tree = DockerfileParser.parse(text)
            for step in 0..<10 {
                text = Self.edit(text, &generator)
                let incremental = DockerfileParser.parse(text, editing: tree)
                let full = DockerfileParser.parse(text)
                if Self.dump(incremental) != Self.dump(full) {
                    let difference = zip(Self.dump(incremental), Self.dump(full)).first { $0 != $1 }
                    mismatches.append("seed \(number) edit \(step): \(String(describing: difference))")
                    break
                }
                tree = incremental
            }
            if mismatches.count >= 3 { break }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }

    @Test func anEditReusesTheInstructionsAfterItMovedByItsLength() {
        let before = Array("FROM a\nRUN one\nRUN two\nRUN three\n".utf8)
        let after = Array("FROM a\nRUN one more\nRUN two\nRUN three\n".utf8)
        let tree = DockerfileParser.parse(after, editing: DockerfileParser.parse(before))
        let runs = tree.instructions.filter { $0.kind == .run }
        #expect(runs.map(\.text) == ["RUN one more", "RUN two", "RUN three"])
        #expect(runs.map(\.range.start.offset) == [7, 20, 28])
        #expect(runs.map(\.values.first?.range.start.column) == [5, 5, 5])
    }
}
