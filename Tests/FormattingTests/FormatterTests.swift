import DockerfileSyntax
import Formatting
import Foundation
import Testing

func formatted(_ text: String, _ options: FormatOptions = FormatOptions()) -> String? {
    DockerfileFormatter.format(parse(text), options: options).map { String(decoding: $0, as: UTF8.self) }
}

@Suite struct FormatterTests {
    @Test func keywordsUpperCaseAndSingleSpaces() {
        #expect(formatted("from  ubuntu:22.04\ncopy   --chown=1:1   a  b   /x/\n") == "FROM ubuntu:22.04\nCOPY --chown=1:1 a b /x/\n")
    }

    @Test func keywordCaseOption() {
        #expect(formatted("FROM a\nRUN b\n", FormatOptions(uppercaseKeywords: false)) == "from a\nrun b\n")
    }

    @Test func execFormIsNormalised() {
        #expect(formatted("FROM a\nCMD [\"a\",\"b\"]\n") == "FROM a\nCMD [\"a\", \"b\"]\n")
    }

    @Test func legacyEnvBecomesKeyEqualsValue() {
        #expect(formatted("FROM a\nENV A 1\nENV B hello world\n") == "FROM a\nENV A=1\nENV B=\"hello world\"\n")
    }

    @Test func legacyEnvWithQuotesIsLeftAlone() {
        #expect(formatted("FROM a\nENV B \"x y\" z\n") == "FROM a\nENV B \"x y\" z\n")
    }

    @Test func continuationsAreIndentedWithLeadingOperators() {
        let input = "FROM a\nRUN apt-get update && \\\n  apt-get install -y curl &&   \\\n      rm -rf /var/lib/apt/lists/*\n"
        #expect(formatted(input) == "FROM a\nRUN apt-get update \\\n    && apt-get install -y curl \\\n    && rm -rf /var/lib/apt/lists/*\n")
    }

    /// BuildKit's view of every instruction (what `parse --format commands` prints), before and after formatting.
    func keepsBuildKitsView(_ input: String) -> Bool {
        guard let output = formatted(input) else { return false }
        return parse(input).buildKitCommandLines() == parse(output).buildKitCommandLines()
    }

    @Test func legacyEnvContinuationKeepsTheBlanksOfItsValue() {
        let input = "FROM a\nENV PHPIZE_DEPS \\\n\t\tautoconf \\\n\t\tfile\nENV H a\\\n  b\n"
        #expect(formatted(input) == input)
        #expect(keepsBuildKitsView(input))
    }

    @Test func workdirUserStopsignalAndMaintainerContinuationsKeepTheirBytes() {
        for keyword in ["WORKDIR /a", "USER a", "STOPSIGNAL SIG", "MAINTAINER a"] {
            let input = "FROM a\n\(keyword)\\\n   b\n"
            #expect(formatted(input) == input, "\(keyword)")
        }
    }

    @Test func onbuildContinuationKeepsItsBytes() {
        let input = "FROM a\nONBUILD ENV Q a \\\n    b\nONBUILD RUN cd /app \\\n      && make\n"
        #expect(formatted(input) == input)
    }

    @Test func shellFormWordsThatLookLikeJSONAreKeptAsWritten() {
        let input = "FROM a\nADD [ \"test f\tile\", \"/tmp/test file\" ]\n"
        #expect(formatted(input) == input)
    }

    @Test func keyValueEnvContinuationIsReindented() {
        #expect(formatted("FROM a\nENV A=1 \\\n        B=2\n") == "FROM a\nENV A=1 \\\n    B=2\n")
    }

    @Test func runWithAQuoteLeftOpenKeepsItsContinuationLines() {
        let input = "FROM a\nRUN echo it's \\\n      here\n"
        #expect(formatted(input) == input)
    }

    @Test func textInsideQuotesAcrossLinesIsKept() {
        let input = "FROM a\nRUN echo \"a   \\\n   b\"\n"
        #expect(formatted(input) == input)
    }

    @Test func blankLinesCollapseAndOneFinalNewline() {
        #expect(formatted("\n\nFROM a\n\n\n\nRUN b   \n\n\n") == "FROM a\n\nRUN b\n")
        #expect(formatted("FROM a") == "FROM a\n")
    }

    @Test func commentsStayWhereTheyWere() {
        let input = "# top\nFROM a\nRUN a \\\n    # inside\n    && b\n"
        #expect(formatted(input) == input)
    }

    @Test func heredocBodiesAreUntouched() {
        let input = "FROM a\nrun <<EOF\n  keep   this  \n\tEOF\nEOF\n"
        #expect(formatted(input) == "FROM a\nRUN <<EOF\n  keep   this  \n\tEOF\nEOF\n")
    }

    @Test func formatOffRegionIsKept() {
        let input = "FROM a\n# dockerkit fmt: off\nrun   x\n\n\n# dockerkit fmt: on\nrun   y\n"
        #expect(formatted(input) == "FROM a\n# dockerkit fmt: off\nrun   x\n\n\n# dockerkit fmt: on\nRUN y\n")
    }

    @Test func crlfAndBOMAreKept() {
        let input = "\u{FEFF}from a\r\nrun b\r\n"
        #expect(formatted(input) == "\u{FEFF}FROM a\r\nRUN b\r\n")
    }

    @Test func doubleDashStaysWhenArgumentsStartWithDashes() {
        #expect(formatted("FROM a\nCOPY -- --weird /x\n") == "FROM a\nCOPY -- --weird /x\n")
    }

    @Test func unparsableFileIsNotFormatted() {
        #expect(formatted("FROM a\nRUN <<EOF\nnever closed\n") == nil)
    }

    /// Formatting keeps the instructions, gives a file that parses, and twice changes nothing.
    func checkFormatting(_ files: [URL]) throws {
        for file in files {
            let tree = DockerfileParser.parse([UInt8](try Data(contentsOf: file)))
            guard let once = DockerfileFormatter.format(tree) else { continue }
            let onceTree = DockerfileParser.parse(once)
            #expect(onceTree.errors.isEmpty, "\(file.lastPathComponent)")
            #expect(DockerfileFormatter.format(onceTree) == once, "\(file.lastPathComponent)")
            #expect(tree.instructions.map(\.kind) == onceTree.instructions.map(\.kind), "\(file.lastPathComponent)")
        }
    }

    @Test func formattingIsIdempotentOnOwnCorpus() throws {
        let corpus = files(under: ownCorpus).filter { !$0.path.contains("/archives/") && !$0.path.contains("/config/") }
        #expect(corpus.count > 50)
        try checkFormatting(corpus)
    }

    @Test(.enabled(if: sharedDirectory != nil, "the shared corpus (../shared or DOCKERKIT_SHARED) is not here"))
    func formattingIsIdempotentOnTheSharedCorpus() throws {
        try checkFormatting(files(under: try #require(sharedDirectory).appendingPathComponent("corpus/real")))
    }
}
