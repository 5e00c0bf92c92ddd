import Testing
import Foundation
@testable import ImageHistory
import DockerfileSyntax

/// Fixtures/builders: one folder per case, a Dockerfile built by the engine's classic builder, BuildKit, buildah bud
/// and podman build (scripts/make-reverse-fixtures.sh), with each builder's history and inspect output as it wrote them.
private let buildersFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/builders")
private let builders = ["classic", "buildkit", "buildah", "podman"]
private let cases = ["entrypoint-exec", "entrypoint-shell", "env-label", "files", "healthcheck", "healthcheck-none", "metadata",
                     "exec-run", "onbuild", "run-forms", "shell-euc", "smuggling", "variables"]

private func fixture(_ name: String, _ builder: String) throws -> ImageMetadata {
    let folder = buildersFolder.appendingPathComponent(name)
    let inspectFile = folder.appendingPathComponent("\(builder).inspect.json")
    let historyFile = [".history.jsonl", ".history.json"].map { folder.appendingPathComponent(builder + $0) }
        .first { FileManager.default.fileExists(atPath: $0.path) } ?? folder.appendingPathComponent(builder + ".history.jsonl")
    var image = try ImageMetadataDecoder.decodeInspect([UInt8](try Data(contentsOf: inspectFile)), source: inspectFile.path)
    image.history = try ImageMetadataDecoder.decodeHistoryLines([UInt8](try Data(contentsOf: historyFile)), source: historyFile.path)
    return image
}

private func finalStage(_ text: String) -> [Instruction] {
    let tree = DockerfileParser.parse(text)
    #expect(tree.errors.isEmpty, "does not parse: \(text)")
    guard let from = tree.instructions.lastIndex(where: { $0.kind == .from }) else { return [] }
    return Array(tree.instructions[(from + 1)...])
}

private func pairs(_ instructions: [Instruction], _ kind: InstructionKind) -> [String: String] {
    var result: [String: String] = [:]
    for instruction in instructions where instruction.kind == kind {
        for pair in KeyValueInstruction(instruction)?.pairs ?? [] {
            result[pair.unquotedKey(escapeToken: UInt8(ascii: "\\"))] = pair.unquotedValue(escapeToken: UInt8(ascii: "\\"))
        }
    }
    return result
}

private func recovered(_ name: String, _ builder: String) throws -> (image: ImageMetadata, text: String) {
    let image = try fixture(name, builder)
    return (image, try DockerfileRecovery.recover(image, sourceName: builder, options: RecoveryOptions(base: "local/busybox:1", baseLayers: 1)).text)
}

@Test(arguments: cases, builders)
func everyInstructionKindIsRecoveredInOrder(_ name: String, _ builder: String) throws {
    let original = finalStage(try String(contentsOf: buildersFolder.appendingPathComponent("\(name)/Dockerfile"), encoding: .utf8))
    let (image, text) = try recovered(name, builder)
    // An OCI config (buildah and podman by default) keeps no ONBUILD, HEALTHCHECK or SHELL: the image has none.
    let expected = original.map(\.kind).filter { $0 != .arg && image.config?.lacks($0.rawValue.uppercased()) != true }
    #expect(finalStage(text).map(\.kind).filter { $0 != .arg } == expected, "\(text)")
}

@Test(arguments: cases, builders)
func everyConfigEnvironmentValueAndLabelIsReproduced(_ name: String, _ builder: String) throws {
    let (image, text) = try recovered(name, builder)
    let instructions = finalStage(text)
    let environment = pairs(instructions, .env)
    // Every variable the Dockerfile sets is written with the config's value (the base's own, like PATH, may not be).
    let original = finalStage(try String(contentsOf: buildersFolder.appendingPathComponent("\(name)/Dockerfile"), encoding: .utf8))
    let setByDockerfile = Set(pairs(original, .env).keys)
    for entry in image.config?.env ?? [] {
        let key = String(entry.prefix { $0 != "=" })
        if setByDockerfile.contains(key) || environment[key] != nil {
            #expect(environment[key] == String(entry.dropFirst(key.count + 1)), "\(key)\n\(text)")
        }
    }
    let labels = pairs(instructions, .label)
    for (key, value) in image.config?.labels ?? [:] where !DockerfileRecovery.builderLabels.contains(key) {
        #expect(labels[key] == value, "\(key)\n\(text)")
    }
}

@Test(arguments: builders)
func exposedVariablePortsComeFromTheConfig(_ builder: String) throws {
    let text = try recovered("metadata", builder).text
    let ports = finalStage(text).filter { $0.kind == .expose }.flatMap { ($0.arguments?.text ?? "").split(separator: " ").map(String.init) }
    #expect(Set(ports) == ["22/tcp", "8080/tcp", "6000/udp", "6001/udp", "6002/udp"], "\(text)")
}

@Test(arguments: ["buildah", "podman"])
func buildahArgumentEntriesDeclareEachNameOnceWithItsValue(_ builder: String) throws {
    let text = try recovered("run-forms", builder).text
    let arguments = finalStage(text).filter { $0.kind == .arg }.map { $0.arguments?.text ?? "" }
    #expect(arguments == ["VERSION=1.2.3", "FLAVOR", "EMPTY="], "\(text)")
}

@Test(arguments: ["buildah", "podman"])
func instructionsAnOciConfigDroppedAreComments(_ builder: String) throws {
    let onbuild = try recovered("onbuild", builder).text
    #expect(!finalStage(onbuild).contains { $0.kind == .onbuild })
    #expect(onbuild.contains("# ONBUILD RUN echo child > /child: in the history, but not in the image config, so the image has none"))
    let healthcheck = try recovered("healthcheck", builder).text
    #expect(!finalStage(healthcheck).contains { $0.kind == .healthcheck }, "\(healthcheck)")
    let shell = try recovered("run-forms", builder).text
    #expect(!finalStage(shell).contains { $0.kind == .shell }, "\(shell)")
}

@Test(arguments: builders)
func runTextHoldingNopIsNotReadAsAnInstruction(_ builder: String) throws {
    let text = try recovered("smuggling", builder).text
    #expect(finalStage(text).filter { $0.kind != .arg }.map(\.kind) == [.run, .run, .run, .cmd], "\(text)")
    #expect(text.contains("RUN echo x #(nop)  ONBUILD RUN touch /pwned\n"))
    #expect(text.contains("RUN echo \"/bin/sh -c #(nop)  CMD [\\\"evil\\\"]\" > /a.txt\n"))
    // A classic RUN whose text ends in `# buildkit` is a RUN, not BuildKit's old RUN form.
    #expect(text.contains("RUN echo classic > /c.txt # buildkit\n"), "\(text)")
}

@Test func variablesTheCommandSetsItselfAreNotTakenForArguments() {
    let command = "for f in a b; do echo $f; done; X=1; echo ${X} $FLAVOR ${HOME} $1 $VERSION"
    #expect(DockerfileRecovery.unsetVariables(command, known: ["VERSION"]) == ["FLAVOR", "HOME"])
}

@Test(arguments: ["buildah", "podman"])
func valuesBuildahPrintsWithVariablesAreExpanded(_ builder: String) throws {
    let text = try recovered("variables", builder).text
    let instructions = finalStage(text).map { "\($0.kind.rawValue) \($0.arguments?.text ?? "")" }
    #expect(instructions.contains("user 1000:1000") && instructions.contains("volume [\"/srv/data\"]"), "\(text)")
    #expect(!text.contains("\\$"), "\(text)")
}

@Test(arguments: builders)
func execFormRunsStayExecForm(_ builder: String) throws {
    let text = try recovered("exec-run", builder).text
    let runs = finalStage(text).filter { $0.kind == .run }.map { $0.arguments?.text ?? "" }
    #expect(runs == ["[\"touch\", \"/x\"]", "[\"sh\", \"-c\", \"echo y > /y\"]"], "\(text)")
}

@Test(arguments: ["classic", "buildkit"])
func execFormRunUnderAnotherShellKeepsItsOwnShell(_ builder: String) throws {
    let text = try recovered("shell-euc", builder).text
    #expect(text.contains("\nRUN echo one | tr a-z A-Z > /one\nRUN [\"/bin/sh\", \"-c\", \"echo two > /two\"]\n"), "\(text)")
}

@Test func entriesWithoutFramingAreRunsUnlessACommitSaysOtherwise() {
    let shell = ["/bin/sh", "-c"]
    #expect(DockerfileRecovery.readStep(HistoryEntry(createdBy: "sh -c echo hi > /f"), shell: shell).arguments == "[\"sh\", \"-c\", \"echo hi > /f\"]")
    #expect(DockerfileRecovery.readStep(HistoryEntry(createdBy: "sh -c echo hi > /f", comment: "a message"), shell: shell).keyword == nil)
    #expect(DockerfileRecovery.readStep(HistoryEntry(createdBy: "/bin/bash"), shell: shell).keyword == nil)
    #expect(DockerfileRecovery.readStep(HistoryEntry(createdBy: "/bin/sh -c echo hi"), shell: shell).arguments == "echo hi")
}

/// `buildah inspect --type image` holds the OCI config and its history (with the steps that made layers) in one file.
@Test(arguments: cases)
func buildahInspectAloneGivesTheSameInstructions(_ name: String) throws {
    let file = buildersFolder.appendingPathComponent("\(name)/buildah.buildah-inspect.json")
    let image = try ImageMetadataDecoder.decodeInspect([UInt8](try Data(contentsOf: file)), source: file.path)
    #expect(image.config?.dockerOnlyFields == .impossible)
    #expect(image.history.contains { $0.emptyLayer == false })
    let text = try DockerfileRecovery.recover(image, sourceName: name, options: RecoveryOptions(base: "local/busybox:1", baseLayers: 1)).text
    #expect(finalStage(text).map(\.kind) == finalStage(try recovered(name, "buildah").text).map(\.kind), "\(text)")
}
