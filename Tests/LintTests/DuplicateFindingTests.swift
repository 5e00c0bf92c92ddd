import DockerfileSyntax
import Foundation
import Lint
import Testing

/// The public corpus beside the checkout (`../shared/corpus/real`), when it is there.
private let corpus: URL? = {
    let folder = MutationTests.repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/real")
    return FileManager.default.fileExists(atPath: folder.path) ? folder : nil
}()

/// One problem, one finding: no two findings at the same range mean the same thing.
@Suite struct DuplicateFindingTests {
    /// Pairs of findings at one range that are the same problem: one rule saying the same twice, or a BuildKit
    /// check and its hadolint twin.
    static func duplicates(_ findings: [Finding]) -> [(String, String)] {
        var pairs: [(String, String)] = []
        let byRange = Dictionary(grouping: findings) { [$0.range.start.offset, $0.range.end.offset] }
        for group in byRange.values where group.count > 1 {
            for (index, first) in group.enumerated() {
                for second in group[(index + 1)...] {
                    let twins = (Linter.sameProblem[first.code]?.contains(second.code) ?? false) || (Linter.sameProblem[second.code]?.contains(first.code) ?? false)
                    if twins || (first.code == second.code && first.message == second.message) { pairs.append((first.code, second.code)) }
                }
            }
        }
        return pairs
    }

    @Test func aBuildKitCheckAndItsHadolintTwinReportOnce() {
        let result = Linter().lint(source: Array("FROM debian:12\nWORKDIR app\nCMD echo hi\n".utf8), path: "Dockerfile", configuration: LintConfiguration())
        let codes = result.findings.map(\.code)
        #expect(codes.contains("DL3025") && !codes.contains("JSONArgsRecommended"), "\(codes)")
        #expect(codes.contains("DL3000") && !codes.contains("WorkdirRelativePath"), "\(codes)")
    }

    @Test func aBuildKitCheckStillReportsWhenItsTwinIsIgnored() {
        var configuration = LintConfiguration()
        configuration.ignored = ["DL3025"]
        let result = Linter().lint(source: Array("FROM debian:12\nCMD echo hi\n".utf8), path: "Dockerfile", configuration: configuration)
        #expect(result.findings.map(\.code).contains("JSONArgsRecommended"))
    }

    @Test func oneMirrorNamedOnEveryLineOfAWordIsOneFinding() {
        let text = "FROM ubuntu:16.04\nRUN echo 'deb http://mirrors.163.com/ubuntu/ xenial main\\n\\\ndeb http://mirrors.163.com/ubuntu/ xenial-updates main' > /etc/apt/sources.list\n"
        let result = Linter().lint(source: Array(text.utf8), path: "Dockerfile", configuration: LintConfiguration())
        #expect(result.findings.filter { $0.code == "DK101" }.count == 1)
    }

    @Test(.enabled(if: corpus != nil, "needs the public corpus at ../shared/corpus/real"))
    func theCorpusHasNoDuplicateFindings() throws {
        let folder = try #require(corpus)
        let linter = Linter()
        var found: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() {
            guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else { continue }
            let result = linter.lint(source: Array(data), path: name, configuration: LintConfiguration())
            for pair in Self.duplicates(result.findings) { found.append("\(name): \(pair.0) and \(pair.1)") }
        }
        #expect(found.isEmpty, "\(found.prefix(10))")
    }
}
