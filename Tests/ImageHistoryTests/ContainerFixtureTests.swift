import Foundation
import Testing
@testable import ImageHistory

/// Fixtures/containers: what `reverse --container` read from real containers (scripts/make-container-fixtures.sh):
/// the engine's diff, each changed path's type and owner, the package databases, lists and RECORDs, and the
/// Dockerfile it wrote then.
private let containersFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/containers")

private func reversal(of name: String) throws -> (ContainerSource, ContainerReversal) {
    let folder = containersFolder.appendingPathComponent(name)
    let changes = try String(contentsOf: folder.appendingPathComponent("changes.txt"), encoding: .utf8).split(separator: "\n").map { line in
        FilesystemChange(line.first == "A" ? .added : line.first == "D" ? .deleted : .changed, String(line.dropFirst(2)))
    }
    var entries: [String: (isDirectory: Bool, owner: String)] = [:]
    for line in try String(contentsOf: folder.appendingPathComponent("entries.txt"), encoding: .utf8).split(separator: "\n") {
        let fields = line.split(separator: " ", maxSplits: 2).map(String.init)
        entries[fields[2]] = (fields[0] == "d", fields[1])
    }
    var files: [String: [UInt8]] = [:]
    let root = folder.appendingPathComponent("container")
    for case let url as URL in try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)) {
        guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
        files[String(url.path.dropFirst(root.path.count + 1))] = Array(try Data(contentsOf: url))
    }
    let imageStatus = try String(contentsOf: folder.appendingPathComponent("image/var/lib/dpkg/status"), encoding: .utf8)
    let removedList = try String(contentsOf: folder.appendingPathComponent("image/var/lib/dpkg/info/tzdata.list"), encoding: .utf8)
    let source = ContainerSource(name: "fixture", id: "f49c7352a64e", image: "local/debian:12", imageID: "sha256:fe33", mounts: [], changes: changes)
    let removed = Set(removedList.split(separator: "\n").map { String($0.dropFirst()) })
    return (source, ContainerReversal(source, imageStatus: imageStatus, containerFiles: files, entries: entries, removedFiles: removed))
}

@Test func aContainerWithAptPipAndFileChangesReversesToItsPackagesAndFewFiles() throws {
    let (source, reversal) = try reversal(of: "apt-pip-files")
    #expect(reversal.aptInstalled == ["file", "python3-pip"])
    #expect(reversal.aptRemoved == ["tzdata"])
    #expect(reversal.pipInstalled.map { "\($0.name)==\($0.version)" } == ["six==1.16.0"])
    let copied = reversal.copied["0:0"] ?? []
    #expect(copied.contains("opt/tool/run") && copied.contains("etc/issue"))
    // A package's files (merged /lib included), its scripts' links and pip's site folder are never copied.
    #expect(!copied.contains { $0.hasPrefix("usr/lib/x86_64-linux-gnu/") || $0.hasPrefix("etc/ssl/certs/") || $0.hasPrefix("usr/local/lib/python3.11") })
    #expect(copied.count < 20, "\(copied.sorted())")
    let dockerfile = reversal.dockerfile(source)
    let expected = try String(contentsOf: containersFolder.appendingPathComponent("apt-pip-files/Dockerfile"), encoding: .utf8)
    // The instructions are those the reverser wrote when the fixture was made (the header names that container).
    #expect(dockerfile.split(separator: "\n").drop { !$0.hasPrefix("FROM") } == expected.split(separator: "\n").drop { !$0.hasPrefix("FROM") })
}
