import DockerfileSyntax
import Foundation
import Testing
@testable import ImageHistory

private func history(_ lines: [String], buildKit: Bool = true) -> ImageMetadata {
    var image = ImageMetadata()
    image.history = [HistoryEntry(createdBy: "", comment: "Imported from -")]
        + lines.map { HistoryEntry(createdBy: $0, comment: buildKit && !$0.hasPrefix("/bin/sh") ? "buildkit.dockerfile.v0" : "") }
    return image
}

private func instructions(_ text: String) -> [Instruction] {
    let tree = DockerfileParser.parse(text)
    #expect(tree.errors.isEmpty, "reversed text does not parse: \(text)")
    return Array(tree.instructions.drop { $0.kind != .from }.dropFirst())
}

private func reverse(_ image: ImageMetadata, base: String? = "local/busybox:1") throws -> String {
    try DockerfileRecovery.recover(image, sourceName: "test", options: RecoveryOptions(base: base)).text
}

@Test func buildKitRunKeepsItsBuildArgumentsAsArgLines() throws {
    let text = try reverse(history(["ARG VERSION=1.0", "RUN |1 VERSION=1.2.3 /bin/sh -c echo $VERSION > /v # buildkit"]))
    let kinds = instructions(text).map(\.kind)
    #expect(kinds == [.arg, .arg, .run])
    #expect(text.contains("ARG VERSION=1.2.3\nRUN echo $VERSION > /v\n"))
}

@Test func classicNopEntriesBecomeTheirInstructions() throws {
    let text = try reverse(history(["/bin/sh -c #(nop)  ENV A=1 B=two words", "/bin/sh -c #(nop) WORKDIR /srv",
                                    "/bin/sh -c #(nop)  CMD [\"sh\" \"-c\" \"echo hi\"]"], buildKit: false), base: nil)
    #expect(instructions(text).map(\.kind) == [.env, .workdir, .cmd])
    #expect(text.contains("ENV A=1 B='two words'\n"))
    #expect(text.contains("CMD [\"sh\", \"-c\", \"echo hi\"]\n"))
}

@Test func runChainsAreWrappedAtAndOr() throws {
    let text = try reverse(history(["RUN /bin/sh -c apt-get update     && apt-get install -y x || true # buildkit"]))
    #expect(text.contains("RUN apt-get update \\\n    && apt-get install -y x \\\n    || true\n"))
}

@Test func configWinsOverHistoryText() throws {
    var image = history(["ENV PATH=/opt/bin:/usr/bin WEIRD=a b"])
    var config = ImageConfig()
    config.env = ["PATH=/opt/bin:/usr/bin", "WEIRD=a b $c"]
    image.config = config
    let text = try reverse(image)
    #expect(text.contains("WEIRD='a b $c'"))
    #expect(text.contains("# WEIRD: the image config's value is used"))
}

@Test func exposeMapAndRangesBecomePorts() throws {
    let text = try reverse(history(["EXPOSE map[22/tcp:{} 53/udp:{}]", "/bin/sh -c #(nop)  EXPOSE 8000-8001"]))
    #expect(text.contains("EXPOSE 22/tcp 53/udp\nEXPOSE 8000/tcp 8001/tcp\n"))
}

@Test func healthcheckStructBecomesFlags() throws {
    let text = try reverse(history(["HEALTHCHECK &{[\"CMD-SHELL\" \"test -f /ok || exit 1\"] \"30s\" \"5s\" \"0s\" '\\x03'}"]))
    #expect(text.contains("HEALTHCHECK --interval=30s --timeout=5s --retries=3 CMD test -f /ok || exit 1\n"))
}

@Test func unknownBaseIsScratchWithAnExplanation() throws {
    let text = try reverse(history(["RUN /bin/sh -c true # buildkit"]), base: nil)
    #expect(text.contains("FROM scratch\n"))
    #expect(text.contains("# The base image is unknown"))
}

/// Metadata that tries to smuggle in instructions: each history entry gives at most one instruction, of its own
/// kind, and values read back exactly.
@Test func hostileHistoryCannotInjectInstructions() throws {
    let hostile = [
        "LABEL note=line1\nRUN rm -rf /",
        "ENV A=x\\",
        "RUN /bin/sh -c echo hi\nUSER root # buildkit",
        "RUN /bin/sh -c echo trailing\\ # buildkit",
        "WORKDIR /tmp\r\nRUN evil",
        "USER $(id)\u{0}",
        "RUN /bin/sh -c cat <<EOF\nFROM evil\nEOF # buildkit",
        "CMD [\"a\"]\nRUN evil",
        "ONBUILD RUN x\nRUN evil",
        "LABEL k=\"quoted\" x=$HOME y=\\\\ z=`tick`",
        "STOPSIGNAL \u{1b}[2J",
        "MAINTAINER a\\\nRUN evil",
    ]
    var image = history(hostile)
    var config = ImageConfig()
    config.labels = ["k": "\"quoted\"", "x": "$HOME", "y": "\\\\", "z": "`tick`", "note": "line1\nRUN rm -rf /"]
    config.env = ["A=x\\"]
    image.config = config
    let text = try reverse(image)
    let recovered = instructions(text)
    #expect(recovered.count <= hostile.count)
    #expect(!recovered.contains { $0.kind == .from })
    #expect(recovered.filter { $0.kind == .run }.count <= 3)
    #expect(!recovered.contains { $0.kind == .user && $0.text.contains("root") })
    let labels = recovered.filter { $0.kind == .label }
    let expander = ShellWordExpander()
    for label in labels {
        let values = label.values.map { (try? expander.expand($0.text, environment: [:]).value) ?? "?" }
        for pair in stride(from: 0, to: values.count - 1, by: 2) {
            #expect(config.labels[values[pair]] == values[pair + 1])
        }
    }
}

@Test func valuesWithQuotesAndDollarsReadBackExactly() {
    let expander = ShellWordExpander()
    for value in ["a b", "it's \"q\" \\ $HOME", "ends with \\", "", "$", "'", "\\\\", "tab\there", "中文 ✓"] {
        guard let word = DockerfileText.word(value) else {
            Issue.record("no word for \(value)")
            continue
        }
        #expect((try? expander.expand(word, environment: ["HOME": "/root"]).value) == value, "\(word)")
    }
    #expect(DockerfileText.word("line\nbreak") == nil)
}

@Test func mixedBuilderHistoryFixtureIsReversedInOrder() throws {
    let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/classic-and-buildkit.jsonl")
    var image = ImageMetadata()
    image.history = try ImageMetadataDecoder.decodeHistoryLines([UInt8](try Data(contentsOf: fixture)), source: fixture.path)
    let text = try DockerfileRecovery.recover(image, sourceName: "fixture", options: RecoveryOptions(base: "local/busybox:1", baseLayers: 1)).text
    #expect(instructions(text).map(\.kind) == [.copy, .cmd, .healthcheck, .env, .arg, .run])
    #expect(text.contains("COPY layer-0123456789ab /etc/x\n"))
}

@Test func truncatedRunIsACommentNotABrokenCommand() throws {
    let text = try reverse(history(["RUN /bin/sh -c apt-get update && apt-get install -y curl ca-cer…"]))
    #expect(instructions(text).isEmpty)
    #expect(text.contains("# The history was truncated"))
    #expect(text.contains("(truncated: run docker history with --no-trunc)"))
}

@Test func forbiddenOnbuildTriggersFromTheConfigBecomeComments() throws {
    var image = history(["RUN true # buildkit"])
    var config = ImageConfig()
    config.onBuild = ["ONBUILD RUN x", "FROM busybox", "MAINTAINER me", "RUN make"]
    image.config = config
    let text = try reverse(image)
    let onbuild = instructions(text).filter { $0.kind == .onbuild }
    #expect(onbuild.map { $0.trigger?.kind } == [.run])
    #expect(text.contains("# not recoverable as an instruction: ONBUILD ONBUILD RUN x\n"))
    #expect(text.contains("# not recoverable as an instruction: ONBUILD FROM busybox\n"))
}

@Test func multiMegabyteHistoryEntryGivesLinesBuildKitReads() throws {
    let long = String(repeating: "echo 0123456789abcdef; ", count: 100_000)
    let text = try reverse(history(["RUN /bin/sh -c " + long + " # buildkit", "LABEL a=" + String(repeating: "x", count: 100_000) + "\n# buildkit"]))
    let longestLine = text.split(separator: "\n").map(\.utf8.count).max() ?? 0
    #expect(longestLine < 65_536)
    #expect(DockerfileParser.parse(text).errors.isEmpty)
    let run = instructions(text).first { $0.kind == .run }
    #expect(DockerfileText.collapsingWhitespace(run?.arguments?.text ?? "") == DockerfileText.collapsingWhitespace(long.trimmingCharacters(in: .whitespaces)))
}

@Test func longCommentIsCutWithAMarker() {
    let comment = DockerfileText.comment(String(repeating: "é", count: 10_000))
    #expect(comment.utf8.count < DockerfileText.commentLimit + 100)
    #expect(comment.hasSuffix("more bytes cut)"))
}

@Test func runWrappingLeavesGroupsAndSubstitutionsWhole() {
    #expect(ShellWrapping.wrap("a && { b && c; } && echo \"$(d && e)\"") == "a \\\n    && { b && c; } \\\n    && echo \"$(d && e)\"")
    #expect(ShellWrapping.wrap("echo 'unclosed && x") == "echo 'unclosed && x")
}

@Test func classicFramingUsesTheShellInForce() {
    #expect(DockerfileRecovery.classicInstruction("/bin/bash -c #(nop)  CMD [\"x\"]", shell: ["/bin/bash", "-c"]) == " CMD [\"x\"]")
    #expect(DockerfileRecovery.classicInstruction("/bin/sh -c echo #(nop)  USER root", shell: ["/bin/sh", "-c"]) == nil)
    // A SHELL entry is framed by the shell it sets.
    #expect(DockerfileRecovery.classicInstruction("/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]", shell: ["/bin/sh", "-c"]) == " SHELL [/bin/sh -ec]")
}

@Test func filesWrittenWithoutSetuidAreNamedBesideTheirCopy() {
    let dockerfile = "FROM local/busybox:1\nCOPY layer-2/usr/bin/tool /usr/bin/tool\nCOPY layer-12/x /x\n"
    let noted = DockerfileRecovery.noteStrippedBits([2: ["usr/bin/tool"]], in: dockerfile)
    #expect(noted == "FROM local/busybox:1\n# written without setuid/setgid (set them again with RUN chmod if the image needs them): usr/bin/tool\n"
        + "COPY layer-2/usr/bin/tool /usr/bin/tool\nCOPY layer-12/x /x\n")
}

@Test func configOnlySettingsBeyondTheBaseAreWrittenOut() throws {
    var image = history(["LABEL a=b", "CMD [\"sh\"]"])
    var config = ImageConfig()
    config.labels = ["a": "b", "built.by": "ci", "io.buildah.version": "1.28.2"]
    config.env = ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "FOO=bar"]
    config.cmd = ["sh"]
    config.workingDir = "/srv"
    image.config = config
    var options = RecoveryOptions(base: "local/busybox:1")
    options.baseConfig = ImageConfig()
    let text = try DockerfileRecovery.recover(image, sourceName: "test", options: options).text
    #expect(text.contains("# In the image config but in no history entry (docker build --label, docker commit -c):\nENV FOO=bar\nLABEL built.by=ci\nWORKDIR /srv\n"), "\(text)")
    #expect(!text.contains("io.buildah.version"))
    #expect(!text.contains("ENV PATH"))
    options.baseConfig = nil
    let withoutBase = try DockerfileRecovery.recover(image, sourceName: "test", options: options).text
    #expect(withoutBase.contains("LABEL built.by=ci\n") && !withoutBase.contains("FOO"), "only labels without the base's config: \(withoutBase)")
}

@Test func emptyMountPointsAndHostFilesAreBuilderNoise() {
    #expect(ImageComparison.isBuilderNoise("proc", "dir 755 0:0", nil))
    #expect(ImageComparison.isBuilderNoise("etc/hosts", nil, "file 644 0:0 \(ImageComparison.emptyFileDigest)"))
    #expect(!ImageComparison.isBuilderNoise("etc/hosts", nil, "file 644 0:0 sha256:abc"))
    #expect(!ImageComparison.isBuilderNoise("proc", "dir 755 0:0", "dir 700 0:0"))
    #expect(!ImageComparison.isBuilderNoise("srv", "dir 755 0:0", nil))
}

@Test func stepsRunByTheBasesOnbuildTriggersAreNotWrittenTwice() throws {
    let image = history(["RUN /bin/sh -c echo triggered > /t # buildkit", "RUN /bin/sh -c echo child > /c # buildkit"])
    var options = RecoveryOptions(base: "onb:parent")
    var base = ImageConfig()
    base.onBuild = ["RUN echo triggered > /t"]
    options.baseConfig = base
    let text = try DockerfileRecovery.recover(image, sourceName: "test", options: options).text
    #expect(instructions(text).map(\.kind) == [.run])
    #expect(text.contains("# RUN echo triggered > /t: run by an ONBUILD trigger of the base, which runs it again\nRUN echo child > /c\n"))
}

/// podman (buildah 1.28) history and inspect of Fixtures/podman/Dockerfile: JSON lists, the Dockerfile's own ENV and
/// LABEL text, the health check beside the config, ARG without its default, an imported base entry without CreatedBy.
@Test func podmanHistoryIsReadAsPodmanWritesIt() throws {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/podman")
    let inspectFile = folder.appendingPathComponent("pm.inspect.json")
    let historyFile = folder.appendingPathComponent("pm.history.jsonl")
    var image = try ImageMetadataDecoder.decodeInspect([UInt8](try Data(contentsOf: inspectFile)), source: inspectFile.path)
    image.history = try ImageMetadataDecoder.decodeHistoryLines([UInt8](try Data(contentsOf: historyFile)), source: historyFile.path)
    let text = try DockerfileRecovery.recover(image, sourceName: "podman", options: RecoveryOptions(base: "localhost/local/busybox:1", baseLayers: 1)).text
    for line in ["SHELL [\"/bin/sh\", \"-ec\"]", "ENV GREETING='hello world'", "LABEL org.example.key=v other=x", "ARG VERSION=1",
                 "RUN echo $VERSION > /srv/version", "VOLUME [\"/a\", \"/b\"]", "EXPOSE 8080/tcp", "WORKDIR /srv",
                 "HEALTHCHECK --interval=30s CMD cat /srv/hello.txt", "USER 1000", "ENTRYPOINT [\"cat\"]", "CMD [\"/srv/hello.txt\"]"] {
        #expect(text.contains(line + "\n"), "\(line)\n\(text)")
    }
    #expect(!text.contains("io.buildah.version"))
    #expect(!text.contains("not understood") && !text.contains("could not be split"))
}

@Test func anOnbuildEntryTheConfigDoesNotHoldIsAComment() throws {
    var image = history(["/bin/sh -c #(nop)  ONBUILD RUN echo real > /real", "/bin/sh -c #(nop)  ONBUILD RUN touch /pwned"], buildKit: false)
    var config = ImageConfig()
    config.onBuild = ["RUN echo real > /real"]
    image.config = config
    let text = try reverse(image)
    #expect(instructions(text).map(\.kind) == [.onbuild], "\(text)")
    #expect(text.contains("ONBUILD RUN echo real > /real\n# ONBUILD RUN touch /pwned: in the history, but not among the image config's triggers"), "\(text)")
}

@Test func settingsTheClassicBuilderPrintsAreCheckedAgainstTheImageTheStepLeft() {
    var config = ImageConfig()
    config.user = "1000"
    config.cmd = ["sh", "-c", "x"]
    #expect(DockerfileRecovery.isClassicSetting("USER", "1000", in: config))
    #expect(!DockerfileRecovery.isClassicSetting("USER", "evil", in: config))
    #expect(DockerfileRecovery.isClassicSetting("CMD", "[\"sh\" \"-c\" \"x\"]", in: config))
    #expect(!DockerfileRecovery.isClassicSetting("ONBUILD", "RUN touch /pwned", in: config))
    #expect(DockerfileRecovery.isClassicSetting("EXPOSE", "80", in: config), "settings a smuggled entry cannot abuse are taken as printed")
}

@Test func aPlatformArgumentTheClassicBuilderLeftUnsetSaysHowToKeepItUnset() throws {
    let text = try reverse(history(["/bin/sh -c #(nop)  ARG TARGETARCH", "/bin/sh -c echo $TARGETARCH > /arch"], buildKit: false))
    #expect(text.contains("# The classic builder left TARGETARCH unset; BuildKit sets it itself: build with --build-arg TARGETARCH= to rebuild the same\nARG TARGETARCH\n"), "\(text)")
}
