import Lint
import Testing

/// How ConsistentInstructionCasing classes keywords: on their bytes when written in one piece, by their text when a
/// line continuation splits one.
@Suite struct KeywordCasingTests {
    static func lines(_ text: String) -> [Int] {
        Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration())
            .findings.filter { $0.code == "ConsistentInstructionCasing" }.map(\.range.start.line)
    }

    @Test func aKeywordSplitByAContinuationIsClassedByItsText() {
        // `ru\` + `n` is the lower-case keyword `run`: it counts for the lower case, so the upper-case RUN is the odd one.
        #expect(Self.lines("from alpine\nru\\\nn echo a\nRUN echo b\n") == [4])
        #expect(Self.lines("FROM alpine\nRU\\\nN echo a\nrun echo b\n") == [4])
        // A comment inside the continuation is not part of the keyword, though its bytes lie within the keyword's range.
        #expect(Self.lines("FROM alpine\nRU\\\n# a comment\nN echo a\nRUN echo b\n").isEmpty)
    }

    @Test func aMixedCaseKeywordIsReportedWhateverTheMajority() {
        #expect(Self.lines("FROM alpine\nRun echo a\nRUN echo b\n") == [2])
        #expect(Self.lines("from alpine\nRun echo a\nrun echo b\n") == [2])
    }
}
