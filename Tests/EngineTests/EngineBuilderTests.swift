import Foundation
import Support
import Testing
@testable import Engine

/// Folders of stub `docker` clients: `new` is a 28 client without buildx, `old` a 20.10 client (BuildKit built in),
/// `down` a client whose engine does not answer.
private struct StubClients {
    let root: URL

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-stubs-\(UUID().uuidString)")
        try write("new", """
            case "$1" in
              version) echo 28.2.2 ;;
              buildx) echo "docker: unknown command: docker buildx" >&2; exit 1 ;;
            esac
            """)
        try write("old", """
            case "$1" in
              version) echo 20.10.24+dfsg1 ;;
              buildx) echo "docker: 'buildx' is not a docker command." >&2; exit 1 ;;
            esac
            """)
        try write("down", """
            echo 28.2.2
            echo "Cannot connect to the Docker daemon at unix:///nowhere.sock. Is the docker daemon running?" >&2
            exit 1
            """)
    }

    private func write(_ folder: String, _ body: String) throws {
        let directory = root.appendingPathComponent(folder)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent("docker")
        try Data(("#!/bin/sh\n" + body + "\n").utf8).write(to: file)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
    }

    func path(_ folders: String...) -> [String: String] {
        ["PATH": folders.map { root.appendingPathComponent($0).path }.joined(separator: ":")]
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

@Test func firstDockerWithoutBuildxGivesWayToALaterOneThatBuildsWithBuildKit() throws {
    let stubs = try StubClients()
    defer { stubs.remove() }
    let builder = try EngineBuilder.choose(engine: nil, environment: stubs.path("new", "old"))
    #expect(builder.client.executable.hasSuffix("/old/docker"))
    #expect(!builder.classic)
    #expect(builder.note?.contains("next docker on PATH") == true)
}

@Test func onlyADockerWithoutBuildxBuildsWithTheClassicBuilderAndSaysSo() throws {
    let stubs = try StubClients()
    defer { stubs.remove() }
    let builder = try EngineBuilder.choose(engine: nil, environment: stubs.path("new"))
    #expect(builder.classic)
    #expect(builder.note?.contains("classic builder") == true)
}

@Test func aNamedClientIsUsedAsItIs() throws {
    let stubs = try StubClients()
    defer { stubs.remove() }
    let named = stubs.root.appendingPathComponent("new/docker").path
    let builder = try EngineBuilder.choose(engine: named, environment: stubs.path("old"))
    #expect(builder.client.executable == named)
    #expect(builder.classic)
}

@Test func anEngineThatDoesNotAnswerIsReportedBeforeAnythingAboutBuilders() throws {
    let stubs = try StubClients()
    defer { stubs.remove() }
    do {
        _ = try EngineBuilder.choose(engine: nil, environment: stubs.path("down", "old"))
        Issue.record("chose a builder although the engine does not answer")
    } catch {
        #expect(error.message.hasPrefix("the engine is not reachable"), "\(error.message)")
    }
}

@Test func noClientAtAllSaysWhatToInstall() {
    #expect(throws: InputError.self) { try EngineBuilder.choose(engine: nil, environment: ["PATH": "/nonexistent"]) }
}
