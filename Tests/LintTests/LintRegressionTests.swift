import DockerfileSyntax
import Formatting
import Foundation
import Lint
import Testing

/// Inputs that once broke a guarantee (found by fuzzing or mutation), kept in Tests/Corpus/regressions.
@Suite struct RegressionTests {
    static let directory = MutationTests.repository.appendingPathComponent("Tests/Corpus/regressions")
    /// The Dockerfile cases; subfolders (image-history/) belong to other targets' regression tests.
    static let cases = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { name in
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }.sorted()

    @Test("parse, print, lint and fmt keep their guarantees", arguments: cases)
    func guaranteesHold(_ name: String) throws {
        let input = [UInt8](try Data(contentsOf: Self.directory.appendingPathComponent(name)))
        let tree = DockerfileParser.parse(input)
        #expect(tree.printedSource() == input)
        _ = Linter().lint(source: input, path: name, configuration: LintConfiguration())
        if let formatted = DockerfileFormatter.format(tree) {
            let again = DockerfileParser.parse(formatted)
            #expect(again.errors.isEmpty)
            let idempotent = DockerfileFormatter.format(again) == formatted
            #expect(idempotent)
        }
    }
}
