import Engine
import Support

/// A container's changes as a Dockerfile (`reverse --container`), and the check that the Dockerfile's image holds
/// what the container holds (`--build`).
package struct ContainerReverse: Sendable {
    package let source: ContainerSource
    package let reversal: ContainerReversal
    /// The container's exported filesystem.
    let export: OpenFile

    /// Reads the container, its image's package database and its exported filesystem, and works out what it added.
    package init(container name: String, client: EngineClient) throws(InputError) {
        source = try client.container(name)
        let status = "var/lib/dpkg/status"
        let imageStatus = try client.files([status], ofImage: source.imageID)[status].map { String(decoding: $0, as: UTF8.self) }
        export = try client.export(container: source.id)
        // The small files the plan reads: the package databases, and the lists and RECORDs the changes added.
        let added = Set(source.changes.filter { $0.kind == .added }.map(\.path))
        let distInfos = source.changes.filter { $0.path.hasSuffix(".dist-info") }.map { $0.path + "/RECORD" }
        let condaRecords = added.filter { CondaPackage.prefix(ofRecord: $0) != nil }
        let wanted = Set([status, "var/lib/apt/extended_states"] + added.filter { $0.hasPrefix("var/lib/dpkg/info/") && $0.hasSuffix(".list") } + distInfos + condaRecords)
        let changed = Set(source.changes.filter { $0.kind != .deleted }.map(\.path))
        var files: [String: [UInt8]] = [:]
        var entries: [String: (isDirectory: Bool, owner: String)] = [:]
        var reader = Self.reader(export)
        while let entry = try reader.next() {
            let path = TarArchive.normalized(entry.path)
            if changed.contains(path) { entries[path] = (entry.isDirectory, "\(entry.uid):\(entry.gid)") }
            if entry.isRegularFile, wanted.contains(path) { files[path] = try reader.readAllContent(limit: 64 << 20) }
        }
        // The files of packages the container removed, from the image's lists: their removal covers them.
        let now = PackageSet(dpkgStatus: files[status].map { String(decoding: $0, as: UTF8.self) } ?? "")
        let removed = PackageSet(dpkgStatus: imageStatus ?? "").versions.keys.filter { now.versions[$0] == nil }
        let lists = removed.flatMap { ["var/lib/dpkg/info/\($0).list", "var/lib/dpkg/info/\($0):amd64.list", "var/lib/dpkg/info/\($0):arm64.list"] }
        var removedFiles: Set<String> = []
        for bytes in try client.files(lists, ofImage: source.imageID).values {
            for line in String(decoding: bytes, as: UTF8.self).split(separator: "\n") { removedFiles.insert(TarArchive.normalized(String(line))) }
        }
        reversal = ContainerReversal(source, imageStatus: imageStatus, containerFiles: files, entries: entries, removedFiles: removedFiles)
    }

    /// The Dockerfile; with `contextDirectory`, the files its COPY lines name are written there (never outside it,
    /// without setuid bits, special files skipped with a warning).
    package func write(contextDirectory: String?) throws(InputError) -> (dockerfile: String, warnings: [String]) {
        var dockerfile = reversal.dockerfile(source)
        guard let contextDirectory else { return (dockerfile, []) }
        var writer = BuildContextWriter(directory: contextDirectory)
        for (owner, paths) in reversal.copied.sorted(by: { $0.key < $1.key }) {
            var reader = Self.reader(export)
            try writer.writeMembers(of: &reader, into: ContainerReversal.folder(of: owner)) { paths.contains($0) }
        }
        if let stripped = writer.strippedSpecialBits[0], !stripped.isEmpty {
            dockerfile += "# Copied without their setuid/setgid bits: \(stripped.map { "/" + $0.escapingControlCharacters() }.joined(separator: ", "))\n"
        }
        return (dockerfile, writer.warnings)
    }

    /// Compares the container's filesystem with that of `rebuilt` (an image): package sets first, then every file
    /// outside what the Dockerfile leaves out.
    package func compare(rebuilt: String, client: EngineClient) throws(InputError) -> ContainerComparison {
        let original = try Self.survey(export, mounts: source.mounts)
        let copy = try Self.survey(try client.export(image: rebuilt), mounts: source.mounts)
        let (real, noise) = ImageComparison.differences(original.files, copy.files)
        return ContainerComparison(
            packages: [
                .init(kind: "dpkg", count: original.dpkg.versions.count, differences: Self.differences(original.dpkg.versions, copy.dpkg.versions)),
                .init(kind: "pip", count: original.pip.count, differences: Self.differences(original.pip, copy.pip)),
            ],
            fileCount: original.files.count, differences: real, noise: noise)
    }

    /// Every file's signature outside the left-out paths, and the package sets.
    static func survey(_ file: OpenFile, mounts: [String]) throws(InputError) -> (files: [String: String], dpkg: PackageSet, pip: [String: String]) {
        var files: [String: String] = [:]
        var dpkg = PackageSet(versions: [:])
        var pip: [String: String] = [:]
        var reader = reader(file)
        while let entry = try reader.next() {
            let path = TarArchive.normalized(entry.path)
            if let package = PipPackage(distInfo: path) { pip["\(package.site)/\(package.name)"] = package.version }
            if path == "var/lib/dpkg/status", entry.isRegularFile {
                dpkg = PackageSet(dpkgStatus: String(decoding: try reader.readAllContent(limit: 64 << 20), as: UTF8.self))
                continue
            }
            guard LeftOutReason.of(path, mounts: mounts) == nil else { continue }
            files[path] = try ImageComparison.signature(entry, layer: &reader)
        }
        return (files, dpkg, pip)
    }

    static func differences(_ a: [String: String], _ b: [String: String]) -> [String] {
        Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }.map { "\($0): \(a[$0] ?? "absent") ≠ \(b[$0] ?? "absent")" }
    }

    static func reader(_ file: OpenFile) -> TarReader<LayerStream> {
        TarReader(LayerStream.plain(StoreRegionStream.whole(.file(file), source: "docker export")), source: "docker export")
    }
}

/// How a container and the image rebuilt from its Dockerfile compare.
package struct ContainerComparison: Sendable {
    package struct PackageRow: Sendable {
        package let kind: String
        package let count: Int
        package let differences: [String]
    }

    package let packages: [PackageRow]
    package let fileCount: Int
    package let differences: [String]
    /// Differences the engine or builder makes by itself (empty mount points and files).
    package let noise: [String]

    package var isEquivalent: Bool { differences.isEmpty && packages.allSatisfy(\.differences.isEmpty) }
}
