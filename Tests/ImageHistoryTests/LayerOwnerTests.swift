import Foundation
import Testing
@testable import ImageHistory

/// Fixtures/owners: `docker save` of a BuildKit image (Dockerfile beside it) with `COPY --chown=1000:1000` of a file,
/// whose history leaves the flag out, and `COPY --from` of a tree whose files have two owners.
private func ownersArchive() throws -> ImageArchive {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/owners/buildkit.tar")
    return try ImageArchive(bytes: [UInt8](try Data(contentsOf: url)), source: "buildkit.tar")
}

@Test func chownBuildKitLeftOutOfTheHistoryComesFromTheLayersOwner() throws {
    let archive = try ownersArchive()
    let text = try DockerfileRecovery.recover(archive.metadata, sourceName: "owners", archive: archive).text
    #expect(text.contains("\nCOPY --chown=1000:1000 hello.txt /home/owned.txt\n"), "\(text)")
    #expect(text.contains("\nCOPY /t /t\n"), "a tree of several owners has no single --chown: \(text)")
}

@Test func layerOfSeveralOwnersIsKeptAsATarThatAddUnpacks() throws {
    let archive = try ownersArchive()
    let recovered = try DockerfileRecovery.recover(archive.metadata, sourceName: "owners", options: RecoveryOptions(usesContext: true), archive: archive)
    #expect(recovered.text.contains("\nCOPY --chown=1000:1000 layer-1/home/owned.txt /home/owned.txt\n"), "\(recovered.text)")
    #expect(recovered.text.contains("\nADD layer-2.tar /\n"), "\(recovered.text)")
    #expect(recovered.contextFiles == [.copyLayer(layer: 0, target: "home/owned.txt"), .layerArchive(layer: 1, name: "layer-2.tar")])
}
