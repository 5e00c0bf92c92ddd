import Support
import DockerfileSyntax
import Lint
import Testing

@Suite(.enabled(if: ShellCheck.locate() != nil, "shellcheck is not on PATH (Debian: apt-get install shellcheck)"))
struct ShellCheckTests {
    @Test func findingsLandAtTheirDockerfilePositions() throws {
        let executable = try #require(ShellCheck.locate())
        var configuration = LintConfiguration()
        configuration.runsShellCheck = true
        let source = "FROM debian:12\nENV FOO=1\nRUN true && \\\n    echo $FOO $bar\n"
        let runner: ShellCheckRunner = { arguments, input in
            try? ChildProcess.run(executable, arguments: arguments, input: input).output
        }
        let findings = Linter(shellCheckRunner: runner).lint(source: Array(source.utf8), path: "Dockerfile", configuration: configuration).findings
        let unassigned = try #require(findings.first { $0.code == "SC2154" })
        #expect(unassigned.range.start.line == 4)
        #expect(unassigned.range.start.column == 15)
        #expect(!findings.contains { $0.code == "SC2154" && $0.message.contains("FOO") })
    }
}
