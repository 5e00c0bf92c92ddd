import DockerfileSyntax
@testable import Lint
import Testing

/// A large file's rules run on every core, and their findings are joined into one array: the same findings, in the
/// same order, as the rules run in turn.
@Suite struct ParallelRulesTests {
    /// Past the parallel threshold, with findings of many rules and a parse error.
    static let file: LintedFile = {
        var text = "FROM ubuntu:22.04 as base\n"
        for index in 0..<(Linter.parallelRulesThreshold / 2 + 10) {
            text += "RUN apt-get install curl && cd /tmp\nENV KEY\(index) value\n"
        }
        text += "ENV\nFROM base\nCOPY --from=base /a /b\n"
        return LintedFile(path: "Dockerfile", tree: DockerfileParser.parse(Array(text.utf8)), configuration: LintConfiguration())
    }()

    @Test func rulesRunInParallelFindWhatTheyFindInTurn() {
        let linter = Linter()
        let rules = linter.enabledRules(Self.file.configuration)
        let inTurn = linter.findings(of: rules, in: Self.file)
        let inParallel = linter.findings(of: rules, in: Self.file, inParallel: true, reservingRoomFor: { 3 })
        #expect(inParallel.count > 1_000)
        #expect(inParallel.map(\.code) == inTurn.map(\.code))
        #expect(inParallel.map(\.range) == inTurn.map(\.range))
    }

    @Test func aLargeFilesLintKeepsItsParseErrors() {
        let result = Linter().lint(Self.file)
        #expect(result.findings.filter { $0.code == Linter.parseErrorCode }.count == 1)
        #expect(result.findings.count > 1_000)
    }
}
