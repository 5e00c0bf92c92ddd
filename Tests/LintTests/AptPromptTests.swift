import Lint
import Testing

/// DK205: which installs of asking packages are reported, and what before them keeps them quiet.
@Suite struct AptPromptTests {
    static func lines(_ text: String) -> [Int] {
        Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration())
            .findings.filter { $0.code == "DK205" }.map(\.range.start.line)
    }

    @Test func anEnvQuietsOnlyTheInstallsAfterIt() {
        let text = "FROM ubuntu:22.04\nRUN apt-get install -y tzdata\nENV DEBIAN_FRONTEND=noninteractive\nRUN apt-get install -y tzdata\n"
        #expect(Self.lines(text) == [2])
    }

    @Test func aStageBuiltOnOneThatSetsTheFrontendIsQuiet() {
        let text = "FROM ubuntu:22.04 AS base\nARG DEBIAN_FRONTEND=noninteractive\nFROM base\nRUN apt-get install -y xfce4\nFROM ubuntu:22.04\nRUN apt-get install -y xfce4\n"
        #expect(Self.lines(text) == [6])
    }

    @Test func anExportQuietsOnlyTheInstallsAfterItInItsRun() {
        #expect(Self.lines("FROM ubuntu:22.04\nRUN export DEBIAN_FRONTEND=noninteractive && apt-get install -y tzdata\n").isEmpty)
        #expect(Self.lines("FROM ubuntu:22.04\nRUN apt-get install -y tzdata && export DEBIAN_FRONTEND=noninteractive\n") == [2])
    }

    @Test func aPackageWithAVersionOrArchitectureStillAsks() {
        #expect(Self.lines("FROM ubuntu:22.04\nRUN apt-get install -y tzdata=2024a-0ubuntu1\n") == [2])
        #expect(Self.lines("FROM ubuntu:22.04\nRUN apt-get install -y tzdata:amd64\n") == [2])
        #expect(Self.lines("FROM ubuntu:22.04\nRUN apt-get install -y tzdatax postfixes\n").isEmpty)
    }
}
