import DockerfileSyntax
import Lint
import Support
import Testing

/// A baseline accepts findings by rule, file and instruction text, so they stay accepted when lines move.
@Suite struct BaselineTests {
    func lint(_ text: String, path: String = "/repo/Dockerfile") -> LintResult {
        Linter().lint(source: Array(text.utf8), path: path, configuration: LintConfiguration())
    }

    @Test func aFindingStaysAcceptedWhenItsLineMoves() {
        let before = lint("FROM debian:12\nRUN apt-get install -y curl\n")
        let baseline = Baseline([before], root: "/repo", workingDirectory: "/")
        let after = lint("FROM debian:12\n# a comment\n\nRUN apt-get install -y curl\n")
        let left = baseline.filtering([after], workingDirectory: "/")[0].findings.map(\.code)
        #expect(!left.contains("DL3008") && !left.contains("DL3015"), "\(left)")
    }

    @Test func aNewCopyOfAnOldProblemIsReported() {
        let baseline = Baseline([lint("FROM debian:12\nRUN apt-get install -y curl\n")], root: "/repo", workingDirectory: "/")
        let after = lint("FROM debian:12\nRUN apt-get install -y curl\nRUN apt-get install -y curl\n")
        #expect(baseline.filtering([after], workingDirectory: "/")[0].findings.filter { $0.code == "DL3008" }.count == 1)
    }

    @Test func aChangedInstructionIsNew() {
        let baseline = Baseline([lint("FROM debian:12\nRUN apt-get install -y curl\n")], root: "/repo", workingDirectory: "/")
        let after = lint("FROM debian:12\nRUN apt-get install -y wget\n")
        #expect(baseline.filtering([after], workingDirectory: "/")[0].findings.contains { $0.code == "DL3008" })
    }

    @Test func filesAreNamedRelativeToTheBaselineSoAnyWorkingDirectoryAgrees() {
        let baseline = Baseline([lint("FROM debian:12\nCMD echo hi\n", path: "app/Dockerfile")], root: "/repo", workingDirectory: "/repo")
        #expect(baseline.counts.keys.allSatisfy { $0.file == "app/Dockerfile" })
        let fromElsewhere = lint("FROM debian:12\nCMD echo hi\n", path: "../Dockerfile")
        #expect(baseline.filtering([fromElsewhere], workingDirectory: "/repo/app/sub")[0].findings.allSatisfy { $0.code != "DL3025" })
    }

    @Test func theFileRoundTripsAndRefusesWhatIsNotABaseline() throws {
        let baseline = Baseline([lint("FROM debian:12\nCMD echo hi\n")], root: "/repo", workingDirectory: "/")
        #expect(try Baseline.decode(Array(baseline.encoded().utf8), path: "/repo/b.json") == baseline)
        #expect(throws: InputError.self) { try Baseline.decode(Array("[]".utf8), path: "/repo/b.json") }
        #expect(throws: InputError.self) { try Baseline.decode(Array("{\"version\": 1, \"findings\": [{\"file\": 1}]}".utf8), path: "/repo/b.json") }
    }
}

/// `--target`: only the stages a build of the target reaches.
@Suite struct TargetTests {
    let text = """
        FROM debian:12 AS tools
        RUN apt-get install -y curl
        FROM debian:12 AS unused
        RUN apt-get install -y wget
        FROM tools AS base
        FROM debian:12 AS cache
        FROM debian:12 AS app
        COPY --from=base /usr/bin/curl /usr/bin/curl
        RUN --mount=type=cache,from=cache,target=/c true

        """

    @Test func theStagesATargetReachesAreItsBasesCopiesAndMounts() {
        let file = LintedFile(path: "Dockerfile", tree: DockerfileParser.parse(Array(text.utf8)), configuration: LintConfiguration())
        #expect(file.stages(reachedBy: "app") == [0, 2, 3, 4])
        #expect(file.stages(reachedBy: "UNUSED") == [1])
        #expect(file.stages(reachedBy: "nothing") == nil)
    }

    @Test func findingsInStagesTheTargetDoesNotReachAreNotReported() {
        var configuration = LintConfiguration()
        configuration.target = "app"
        let lines = Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: configuration).findings.map(\.range.start.line)
        #expect(lines.contains(2) && !lines.contains(4), "\(lines)")
    }
}
