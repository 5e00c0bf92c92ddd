import DockerfileSyntax
import Formatting
import Foundation
import Testing
@testable import Lint

/// `fmt` output has no finding of a rule whose problem `fmt` fixes: keyword casing and `AS` casing.
@Suite struct FormatLintAgreementTests {
    static let fixedByFormat: Set<String> = ["FromAsCasing", "ConsistentInstructionCasing"]

    /// The Dockerfiles in Tests/Corpus, and every tenth of the shared public corpus where this checkout has it.
    static func files() -> [URL] {
        let repository = MutationTests.repository
        var urls: [URL] = []
        for (folder, stride) in [("Tests/Corpus", 1), ("../shared/corpus/real", 10)] {
            guard let enumerator = FileManager.default.enumerator(at: repository.appendingPathComponent(folder), includingPropertiesForKeys: nil) else { continue }
            let found = enumerator.compactMap { $0 as? URL }.filter { !$0.hasDirectoryPath && !$0.lastPathComponent.hasPrefix(".") }
                .sorted { $0.path < $1.path }
            urls += found.enumerated().filter { $0.offset % stride == 0 }.map(\.element)
        }
        return urls
    }

    @Test func lintFindsNothingInFormattedOutputThatFormattingFixes() throws {
        var checked = 0
        for url in Self.files() {
            guard let bytes = try? [UInt8](Data(contentsOf: url)), let formatted = DockerfileFormatter.format(DockerfileParser.parse(bytes)) else { continue }
            let findings = Linter().lint(source: formatted, path: url.lastPathComponent, configuration: LintConfiguration()).findings
            let left = findings.filter { Self.fixedByFormat.contains($0.code) }
            #expect(left.isEmpty, "\(url.lastPathComponent): \(left.map { "\($0.code) \($0.message)" })")
            checked += 1
        }
        #expect(checked > 20)
    }

    @Test func stageNamesTakeTheKeywordsCaseAndOperatorsOneBlankEachSide() {
        let formatted = DockerfileFormatter.format(DockerfileParser.parse("from debian:12 as build\nrun a &&   b ||  c\n"))
            .map { String(decoding: $0, as: UTF8.self) }
        #expect(formatted == "FROM debian:12 AS build\nRUN a && b || c\n")
    }

    @Test func blanksInsideQuotesOrEscapedStayAsWritten() {
        let source = "RUN echo \"a  &&  b\"  &&  echo c\\  && d\n"
        let formatted = DockerfileFormatter.format(DockerfileParser.parse(source)).map { String(decoding: $0, as: UTF8.self) }
        #expect(formatted == "RUN echo \"a  &&  b\" && echo c\\  && d\n")
    }
}
