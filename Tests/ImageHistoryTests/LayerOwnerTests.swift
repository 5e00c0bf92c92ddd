import Foundation
import Testing
@testable import ImageHistory

/// Fixtures/owners: `docker save` of a BuildKit image (Dockerfile beside it) with `COPY --chown=1000:1000` of a file,
/// whose history leaves the flag out, `COPY --from` of a tree whose files have two owners, and `ADD --chown` of an
/// archive, which owns the folder it makes but not the files the archive holds.
private func ownersArchive() throws -> ImageArchive {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/owners/buildkit.tar")
    return try ImageArchive(bytes: [UInt8](try Data(contentsOf: url)), source: "buildkit.tar")
}

@Test func chownBuildKitLeftOutOfTheHistoryComesFromTheLayersOwner() throws {
    let archive = try ownersArchive()
    let text = try DockerfileRecovery.recover(archive.metadata, sourceName: "owners", archive: archive).text
    #expect(text.contains("\nCOPY --chown=1000:1000 hello.txt /home/owned.txt\n"), "\(text)")
    #expect(text.contains("\nCOPY /t /t\n"), "a tree of several owners has no single --chown: \(text)")
    #expect(text.contains("\nADD --chown=1000:1000 archive.tar /opt/\n"), "\(text)")
}

@Test func layerOfSeveralOwnersIsKeptAsATarThatAddUnpacks() throws {
    let archive = try ownersArchive()
    let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "owners", options: RecoveryOptions(usesContext: true), archive: archive)
    #expect(recovered.text.contains("\nCOPY --chown=1000:1000 layer-1/home/owned.txt /home/owned.txt\n"), "\(recovered.text)")
    #expect(recovered.text.contains("\nADD layer-2.tar /\n"), "\(recovered.text)")
    #expect(recovered.text.contains("\nADD layer-3.tar /\n"), "the folder's owner is not the files': \(recovered.text)")
    #expect(recovered.contextFiles == [.copyLayer(layer: 0, target: "home/owned.txt"), .layerArchive(layer: 1, name: "layer-2.tar"),
                                       .layerArchive(layer: 2, name: "layer-3.tar")])
}

/// Fixtures/squashed: `podman save` of the Dockerfile beside it built by buildah bud, which puts every step's files
/// in one layer made by the last step.
@Test func copiesOfASquashedBuildTakeTheirFilesFromTheOneLayer() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/squashed/buildah.tar")
    let archive = try ImageArchive(bytes: [UInt8](try Data(contentsOf: url)), source: "buildah.tar")
    let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "squashed", options: RecoveryOptions(usesContext: true), archive: archive)
    let instructions = recovered.text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
    #expect(instructions == ["FROM scratch", "WORKDIR /srv", "COPY layer-1/srv/ /srv/", "COPY layer-1/srv/dir/ /srv/dir/",
                             "COPY --chown=1000:1000 layer-1/home/owned.txt /home/owned.txt"], "\(recovered.text)")
    #expect(recovered.text.contains("the builder put the files of several steps in layer 1; those under /srv/, as later steps left them, are in layer-1/srv/"))
}

@Test func foldersOnTheWorkingDirectoryOnlyInTheRebuiltImageAreBuilderNoise() {
    #expect(ImageComparison.isBuilderNoise("srv", nil, "dir 755 0:0", workingDirectories: ["/srv/app"]))
    #expect(ImageComparison.isBuilderNoise("srv/app", nil, "dir 755 0:0", workingDirectories: ["/srv/app/"]))
    #expect(!ImageComparison.isBuilderNoise("srv/app", "dir 755 0:0", nil, workingDirectories: ["/srv/app"]))
    #expect(!ImageComparison.isBuilderNoise("srv/other", nil, "dir 755 0:0", workingDirectories: ["/srv/app"]))
    #expect(!ImageComparison.isBuilderNoise("srv/app", nil, "file 644 0:0 sha256:abc", workingDirectories: ["/srv/app"]))
}

@Test func workingDirectoriesAreReadFromEveryBuildersWorkdirEntries() {
    var image = ImageMetadata()
    image.history = [HistoryEntry(createdBy: "/bin/sh -c #(nop) WORKDIR /srv"), HistoryEntry(createdBy: "WORKDIR app", comment: "buildkit.dockerfile.v0"),
                     HistoryEntry(createdBy: "/bin/sh -c echo WORKDIR /nope"), HistoryEntry(createdBy: "/bin/sh -c #(nop) WORKDIR ../x")]
    #expect(ImageComparison.workingDirectories(image) == ["/srv", "/srv/app", "/srv/x"])
}

/// Fixtures/inherited: `docker save` of the Dockerfile beside it built with `--label built.by=ci`; its first five
/// history entries stand for a base that is not known.
@Test func settingsOfAnUnknownBaseRebuiltFromItsLayersStandBeforeTheSteps() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/inherited/buildkit.tar")
    let archive = try ImageArchive(bytes: [UInt8](try Data(contentsOf: url)), source: "buildkit.tar")
    let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "inherited", options: RecoveryOptions(baseLayers: 5, usesContext: true), archive: archive)
    let instructions = recovered.text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
    // The WORKDIR's layer is empty: ADD would copy its tar as a file, so it is left out.
    #expect(instructions == ["FROM scratch", "ADD base-layer-1.tar /", "ENV PATH=/opt/base/bin BASE_HOME=/opt/base",
                             "LABEL built.by=ci org.example.base=yes", "WORKDIR /opt/base", "CMD [\"/opt/base/bin/run\"]",
                             "COPY layer-3/child.txt /child.txt"], "\(recovered.text)")
}

@Test func labelsNoHistoryEntrySetAreWrittenWhenTheBaseIsUnknown() throws {
    var image = ImageMetadata()
    image.history = [HistoryEntry(createdBy: "", comment: "Imported from -"), HistoryEntry(createdBy: "CMD [\"sh\"]", comment: "buildkit.dockerfile.v0")]
    var config = ImageConfig()
    config.labels = ["built.by": "ci", "io.buildah.version": "1.28.2"]
    config.cmd = ["sh"]
    config.env = ["BASE=1"]
    image.config = config
    let text = try DockerfileRecovery.recover(image, sourceName: "test", options: RecoveryOptions(baseLayers: 1)).text
    #expect(text.hasSuffix("CMD [\"sh\"]\n# Labels in the image config that no history entry set (docker build --label, or the base image's own):\nLABEL built.by=ci\n"), "\(text)")
}

@Test func anImageThatIsAllUnknownBaseGetsItsConfigSettingsWithoutAContext() throws {
    var image = ImageMetadata()
    image.history = [HistoryEntry(createdBy: "", comment: "Imported from -")]
    var config = ImageConfig()
    config.cmd = ["/bin/sh"]
    config.workingDir = "/srv"
    image.config = config
    let text = try DockerfileRecovery.recover(image, sourceName: "test", options: RecoveryOptions(baseLayers: 1)).text
    #expect(text.hasSuffix("FROM scratch\n# In the image config but in no history entry: the unknown base image's settings (or docker build --label, docker commit -c):\nWORKDIR /srv\nCMD [\"/bin/sh\"]\n"), "\(text)")
}

@Test func folderOwnersAreMatchedAgainstTheUserInForce() {
    #expect(DockerfileRecovery.isUser("", owner: "0:0"))
    #expect(DockerfileRecovery.isUser("root", owner: "0:0"))
    #expect(!DockerfileRecovery.isUser("root", owner: "1000:1000"))
    #expect(DockerfileRecovery.isUser("1000:1000", owner: "1000:1000"))
    #expect(!DockerfileRecovery.isUser("1000:1000", owner: "0:0"))
    #expect(!DockerfileRecovery.isUser("1000:2000", owner: "1000:1000"))
    #expect(DockerfileRecovery.isUser("lab", owner: "1000:1000"), "a named user cannot be told from its uid here")
    #expect(!DockerfileRecovery.isUser("lab", owner: "0:0"))
}
