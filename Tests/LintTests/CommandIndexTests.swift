import DockerfileSyntax
@testable import Lint
import Testing

/// The file's commands by base name, as the rules find them: names that share a first byte and a length
/// (`apt`, `awk`, `apk`) are indexed apart, each with its commands in file order.
@Suite struct CommandIndexTests {
    static let file = LintedFile(
        path: "Dockerfile",
        tree: DockerfileParser.parse(Array("FROM ubuntu:22.04\nRUN apt update && awk 1 f && apk info && apt install -y curl\nRUN awk 2 g\n".utf8)),
        configuration: LintConfiguration())

    @Test func commandsWhoseNamesShareAClassAreIndexedApart() {
        #expect(Self.file.commands(baseNamed: ["apt"]).map { $0.command.arguments.first?.value } == ["update", "install"])
        #expect(Self.file.commands(baseNamed: ["awk"]).map { $0.command.arguments.first?.value } == ["1", "2"])
        #expect(Self.file.commands(baseNamed: ["apk"]).map { $0.command.arguments.first?.value } == ["info"])
    }
}
