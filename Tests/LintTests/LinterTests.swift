import Foundation
import DockerfileSyntax
import Lint
import Support
import Testing

/// Reporter tests leave DK406 out, so the findings they show are the ones they are about.
let withoutRootCheck: LintConfiguration = {
    var configuration = LintConfiguration()
    configuration.ignored = ["DK406"]
    return configuration
}()

/// Lints with every rule but DK406 (the image runs as root), which almost every short example would add; its own
/// examples test it.
func lint(_ text: String, _ configuration: LintConfiguration = LintConfiguration()) -> [Finding] {
    var configuration = configuration
    configuration.ignored.insert("DK406")
    return Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: configuration).findings
}

@Suite struct SuppressionTests {
    @Test func hadolintIgnorePragmaSuppressesTheNextInstruction() {
        let findings = lint("# hadolint ignore=DL3007\nFROM ubuntu:latest\nFROM debian:latest\n")
        #expect(findings.filter { $0.code == "DL3007" }.map(\.range.start.line) == [3])
    }

    @Test func dockerkitIgnorePragmaTakesSeveralCodes() {
        let findings = lint("FROM debian:12\n# dockerkit ignore=DK201,DL3009\nRUN apt-get update\n")
        #expect(!findings.contains { $0.code == "DK201" || $0.code == "DL3009" })
    }

    @Test func globalIgnoreAppliesEverywhere() {
        let findings = lint("FROM ubuntu:latest\n# hadolint global ignore=DL3007\nFROM debian:latest\n")
        #expect(!findings.contains { $0.code == "DL3007" })
    }

    @Test func pragmaAfterABlankLineDoesNotApply() {
        let findings = lint("# hadolint ignore=DL3007\n\nFROM ubuntu:latest\n")
        #expect(findings.contains { $0.code == "DL3007" })
    }

    @Test func unusedPragmaIsReportedWhenAsked() {
        var configuration = LintConfiguration()
        configuration.reportUnusedIgnores = true
        let findings = lint("# hadolint ignore=DL3008\nFROM ubuntu:22.04\n", configuration)
        #expect(findings.map(\.code) == ["DK001"])
        #expect(lint("# hadolint ignore=DL3008\nFROM ubuntu:22.04\n").isEmpty)
    }
}

@Suite struct ConfigurationTests {
    func configuration(_ yaml: String) throws -> LintConfiguration {
        var configuration = LintConfiguration()
        try configuration.apply(try YAMLReader.read(yaml, path: ".hadolint.yaml"), path: ".hadolint.yaml")
        return configuration
    }

    /// A configuration file of Tests/Corpus/regressions/config, read as the CLI reads it (bytes decoded as UTF-8).
    func regressionConfiguration(_ name: String) throws -> LintConfiguration {
        let url = MutationTests.repository.appendingPathComponent("Tests/Corpus/regressions/config/\(name)")
        return try configuration(String(decoding: try Data(contentsOf: url), as: UTF8.self))
    }

    @Test func crlfConfigurationIsRead() throws {
        let configuration = try regressionConfiguration("crlf.hadolint.yaml")
        #expect(configuration.ignored == ["DL3008", "DL3015"])
        #expect(configuration.failureThreshold == .error)
    }

    @Test func byteOrderMarkIsNotPartOfTheFirstKey() throws {
        #expect(try regressionConfiguration("bom.hadolint.yaml").ignored == ["DL3006"])
    }

    @Test func anchorIsRefusedWithItsLineAndColumn() throws {
        #expect(throws: ConfigurationError(path: ".hadolint.yaml", line: 3, column: 10, message: "anchors ('&name') are not supported; write the value out")) {
            try regressionConfiguration("anchor.hadolint.yaml")
        }
    }

    @Test func readsHadolintKeys() throws {
        let configuration = try configuration("""
            # comment
            ignored:
              - DL3007
              - DL3008   # pinning is done elsewhere
            override:
              error: [DL3015]
              info:
                - DK201
            trustedRegistries:
              - "docker.io"
            failure-threshold: warning
            no-fail: false
            mirror: tuna
            """)
        #expect(configuration.ignored == ["DL3007", "DL3008"])
        #expect(configuration.severityOverrides == ["DL3015": .error, "DK201": .info])
        #expect(configuration.trustedRegistries == ["docker.io"])
        #expect(configuration.failureThreshold == .warning)
        #expect(configuration.mirror == "tuna")
    }

    @Test func unknownKeyIsAnErrorWithItsLineAndColumn() {
        #expect(throws: ConfigurationError(path: ".hadolint.yaml", line: 2, column: 9, message: "unknown key 'ignore'")) {
            try configuration("failure-threshold: error\nignore: [DL3007]\n")
        }
    }

    @Test func badLevelIsAnError() {
        #expect(throws: ConfigurationError.self) { try configuration("failure-threshold: loud\n") }
    }

    @Test func unterminatedQuoteIsAnError() {
        #expect(throws: ConfigurationError.self) { try configuration("mirror: \"tuna\n") }
    }

    @Test func overrideChangesSeverity() throws {
        let findings = lint("FROM ubuntu:latest\n", try configuration("override:\n  error:\n    - DL3007\n"))
        #expect(findings.first?.severity == .error)
    }

    @Test func ignoredRuleIsNotReported() throws {
        #expect(lint("FROM ubuntu:latest\n", try configuration("ignored: [DL3007]\n")).isEmpty)
    }
}

@Suite struct EngineTests {
    @Test func parseErrorsBecomeDL1000AndTheRestIsLinted() {
        let findings = lint("FROM ubuntu:latest\nENV onlykey\n")
        #expect(findings.map(\.code).sorted() == ["DL1000", "DL3007"])
        #expect(findings.first { $0.code == "DL1000" }?.range.start.line == 2)
    }

    @Test func findingsHaveStartAndEndColumns() throws {
        let finding = try #require(lint("FROM debian:12\nRUN echo x | chpasswd\n").first { $0.code == "DK401" })
        // The literal password's word, `x`.
        #expect(finding.range.start.column == 10)
        #expect(finding.range.end.column == 11)
    }

    @Test func commandsInsideShDashCAreSeen() {
        #expect(lint("FROM debian:12\nRUN sh -c 'echo root:pw | chpasswd'\n").contains { $0.code == "DK401" })
    }

    @Test func heredocBodiesAreLinted() throws {
        let finding = try #require(lint("FROM debian:12\nRUN <<EOF\nset -e\nssh-keygen -A\nEOF\n").first { $0.code == "DK403" })
        #expect(finding.range.start.line == 4)
    }

    @Test func onbuildRunIsLinted() {
        #expect(lint("FROM debian:12\nONBUILD RUN echo a:b | chpasswd\n").contains { $0.code == "DK401" })
    }

    @Test func cudaSuggestionsNameThePublishedTag() throws {
        let finding = try #require(lint("FROM nvidia/cuda:11.3-devel\n").first { $0.code == "DK301" })
        #expect(finding.message.contains("11.3.1-devel-ubuntu20.04"))
    }

    @Test func removedCudaTagSuggestsTheSupportedPatch() throws {
        let finding = try #require(lint("FROM nvidia/cuda:11.3.0-devel-ubuntu20.04\n").first { $0.code == "DK302" })
        #expect(finding.message.contains("nvidia/cuda:11.3.1-devel-ubuntu20.04"))
    }

    @Test func mirrorFixRewritesTheHost() throws {
        var configuration = LintConfiguration()
        configuration.mirror = "ustc"
        let source = Array("FROM ubuntu:20.04\nRUN sed -i 's/archive.ubuntu.com/mirrors.aliyun.com/g' /etc/apt/sources.list\n".utf8)
        let fixed = try #require(Fixer.fix(source: source, path: "Dockerfile", configuration: configuration, linter: Linter()))
        #expect(String(decoding: fixed.fixed, as: UTF8.self).contains("s/archive.ubuntu.com/mirrors.ustc.edu.cn/g"))
    }

    @Test func debianFrontendFixUsesArg() throws {
        let source = Array("FROM debian:12\nENV DEBIAN_FRONTEND noninteractive\n".utf8)
        let fixed = try #require(Fixer.fix(source: source, path: "Dockerfile", configuration: LintConfiguration(), linter: Linter()))
        #expect(String(decoding: fixed.fixed, as: UTF8.self) == "FROM debian:12\nARG DEBIAN_FRONTEND=noninteractive\n")
    }
}

@Suite struct ReporterTests {
    let results = [Linter().lint(source: Array("FROM ubuntu:latest\nMAINTAINER me\n".utf8), path: "a b/Dockerfile", configuration: withoutRootCheck)]

    @Test func gnuLinesHaveTheStandardForm() {
        let lines = Reporter.render(results, format: .gnu).split(separator: "\n")
        #expect(lines.first == "a b/Dockerfile:1:6: warning: Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag [DL3007]")
    }

    @Test func githubAnnotationsEscapeProperties() {
        let odd = [Linter().lint(source: Array("FROM ubuntu:latest\n".utf8), path: "a:b,c%d/Dockerfile", configuration: withoutRootCheck)]
        let text = Reporter.render(odd, format: .github)
        #expect(text.hasPrefix("::warning file=a%3Ab%2Cc%25d/Dockerfile,line=1,col=6,"))
    }

    @Test func controlCharactersFromTheFileAreEscapedInTtyGnuAndGithub() {
        let source = Array("FROM ubuntu:latest\nMAINTAINER me \u{1B}]0;pwned\u{07}\u{9B}2J\n".utf8)
        let hostile = [Linter().lint(source: source, path: "x\u{1B}[2J/Dockerfile", configuration: withoutRootCheck)]
        for format in [ReportFormat.tty, .gnu, .github] {
            let text = Reporter.render(hostile, format: format)
            #expect(!text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B }, "\(format)")
            #expect(text.contains("x\\x1b[2J/Dockerfile"), "\(format)")
        }
        #expect(Reporter.render(hostile, format: .tty).contains("MAINTAINER me \\x1b]0;pwned\\x07\\x9b2J"))
    }

    @Test func jsonHasHadolintsKeys() {
        let text = Reporter.render(results, format: .json)
        #expect(text.hasPrefix("[{\"code\":\"DL3007\",\"column\":6,\"endColumn\":19,\"endLine\":1,\"file\":\"a b/Dockerfile\",\"level\":\"warning\",\"line\":1,"))
    }

    @Test func checkstyleEscapesXML() {
        let text = Reporter.render(results, format: .checkstyle)
        #expect(text.contains("<file name=\"a b/Dockerfile\">"))
        #expect(text.contains("source=\"DL4000\""))
    }

    @Test func sarifHasRulesAndRegions() {
        let text = Reporter.render(results, format: .sarif)
        #expect(text.contains("\"version\":\"2.1.0\""))
        #expect(text.contains("\"uri\":\"a%20b/Dockerfile\""))
        #expect(text.contains("\"startColumn\":6"))
    }

    @Test func ttyUnderlinesTheRange() {
        let text = Reporter.render(results, format: .tty)
        #expect(text.contains("    FROM ubuntu:latest\n         ^~~~~~~~~~~~~\n"))
    }
}
