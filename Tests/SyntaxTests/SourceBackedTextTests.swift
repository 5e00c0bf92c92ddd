import DockerfileSyntax
import Testing

/// The tree keeps long text as ranges into the source; what it hands out must be what the parser read.
@Suite struct SourceBackedTextTests {
    @Test func aLongValueSpanningContinuationsReadsWithoutThem() throws {
        let tree = parse("FROM a\nRUN apt-get update && \\\n    apt-get install -y curl\n")
        let run = try #require(tree.instructions.last)
        #expect(run.values.map(\.text) == ["apt-get update &&     apt-get install -y curl"])
        #expect(run.arguments?.text == "apt-get update &&     apt-get install -y curl")
        #expect(run.arguments?.range.start.line == 2 && run.arguments?.range.end.line == 3)
    }

    @Test func aKeywordSplitByAContinuationKeepsItsJoinedText() throws {
        let tree = parse("FROM a\nRU\\\nN echo hello\n")
        let run = try #require(tree.instructions.last)
        #expect(run.kind == .run)
        #expect(run.keyword.text == "RUN")
        #expect(run.keyword.textOffsets == 0..<3)
        #expect(run.keyword.range.start.line == 2 && run.keyword.range.end.line == 3)
    }

    @Test func aCommentsTextStartsAtItsHashAndABlankLinesKeepsItsBlanks() {
        let tree = parse("FROM a\n   # an indented comment that is long\r\n  \t\nRUN x\n")
        let texts = tree.items.compactMap { item -> String? in
            switch item {
            case .comment(let trivia), .blankLine(let trivia): return trivia.text
            default: return nil
            }
        }
        #expect(texts == ["# an indented comment that is long", "  \t"])
    }

    @Test func heredocLinesKeepTheirKindsAndRanges() throws {
        let tree = parse("FROM a\nRUN <<EOF\necho one\nEOF\n")
        let run = try #require(tree.instructions.last)
        #expect(run.lines.map(\.kind) == [.content, .heredocBody(0), .heredocTerminator(0)])
        #expect(run.lines.map(\.range.start.line) == [2, 3, 4])
        #expect(run.lines.last?.range.end.offset == tree.source.count)
    }

    @Test func anEditAboveMovesSourceBackedTokensToTheEditedText() throws {
        let head = "FROM a\nUSER b\n"
        let original = parse(head + "RUN apt-get update && \\\n    apt-get install -y curl\nENV LONG_NAME_VALUE=a-value-longer-than-fifteen\n")
        // After the second instruction: the one before is read again, and those below are moved, not read again.
        let text = Array((head + "# a comment\n").utf8) + original.source.dropFirst(head.utf8.count)
        let edited = DockerfileParser.parse(text, editing: original)
        let full = DockerfileParser.parse(text)
        #expect(edited.instructions.map { $0.values.map(\.text) } == full.instructions.map { $0.values.map(\.text) })
        #expect(edited.instructions.map { $0.values.map(\.range) } == full.instructions.map { $0.values.map(\.range) })
        #expect(edited.instructions.map(\.keyword) == full.instructions.map(\.keyword))
    }
}
