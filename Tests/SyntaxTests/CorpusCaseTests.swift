import DockerfileSyntax
import Foundation
import Testing

/// The cases in Tests/Corpus/parser: each Dockerfile with BuildKit's dump and the PyPI `dockerfile` records we expect.
@Suite struct CorpusCaseTests {
    static let caseDirectory = repositoryRoot.appendingPathComponent("Tests/Corpus/parser")
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: caseDirectory.path)) ?? []).sorted()

    func load(_ name: String, _ file: String) throws -> Data {
        try Data(contentsOf: Self.caseDirectory.appendingPathComponent(name).appendingPathComponent(file))
    }

    @Test func thereAreCases() {
        #expect(Self.cases.count >= 5)
    }

    @Test("dump equals the expected dump", arguments: cases)
    func dumpEqualsExpected(_ name: String) throws {
        let tree = DockerfileParser.parse([UInt8](try load(name, "Dockerfile")))
        let expected = String(decoding: try load(name, "expected.dump"), as: UTF8.self)
        #expect(tree.buildKitDump() + "\n" == expected)
    }

    @Test("commands equal BuildKit's records", arguments: cases)
    func commandsEqualExpected(_ name: String) throws {
        let tree = DockerfileParser.parse([UInt8](try load(name, "Dockerfile")))
        let expectedLines = String(decoding: try load(name, "expected.commands.jsonl"), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let actualLines = tree.buildKitCommandLines()
        #expect(actualLines.count == expectedLines.count)
        for (actual, expected) in zip(actualLines, expectedLines) {
            let actualObject = try JSONSerialization.jsonObject(with: Data(actual.utf8)) as? NSDictionary
            let expectedObject = try JSONSerialization.jsonObject(with: Data(expected.utf8)) as? NSDictionary
            #expect(actualObject == expectedObject, "\(actual)")
        }
    }

    @Test("source prints back byte for byte", arguments: cases)
    func sourcePrintsBack(_ name: String) throws {
        let bytes = [UInt8](try load(name, "Dockerfile"))
        #expect(DockerfileParser.parse(bytes).printedSource() == bytes)
    }
}
