import Support

/// Whether a rebuilt image is equivalent to the original: its config fields and its final filesystem (what a
/// container sees); each layer's files are compared too, to show where a difference comes from.
package struct ImageComparison: Sendable {
    /// One config field and whether both images agree on it.
    package struct FieldRow: Sendable {
        package let field: String
        package let isEqual: Bool
        package let original: String
        package let rebuilt: String
        /// What differs only by the builders' doing (buildah's version label, a port range written out), not counted.
        package var noise: String?
    }

    /// One layer pair (oldest first) and whether their files are the same.
    package struct LayerRow: Sendable {
        package let number: Int
        package let instruction: String
        package let fileCount: Int
        package let differences: [String]
        /// Differences a builder makes by itself (listed, not counted against equivalence).
        package var noise: [String] = []
        package var isEqual: Bool { differences.isEmpty }
    }

    package let fields: [FieldRow]
    /// Layer pairs, when both images have as many layers.
    package let layers: [LayerRow]
    /// Set when the layer counts differ, so layers could not be paired.
    package let layerCountNote: String?
    /// Every layer applied, whiteouts included. Layers may differ where the filesystems do not: a builder
    /// records a folder a step touched (BuildKit's RUN and `/etc`), or squashes the steps into one layer (buildah).
    package let filesystem: LayerRow

    package var isEquivalent: Bool { fields.allSatisfy(\.isEqual) && filesystem.isEqual }

    /// Compares two saved images. RUN layers are compared by content, not timestamps.
    package static func compare(original: ImageArchive, rebuilt: ImageArchive) throws(InputError) -> ImageComparison {
        let left = original.metadata.config ?? ImageConfig()
        let right = rebuilt.metadata.config ?? ImageConfig()
        func row(_ name: String, _ a: String, _ b: String) -> FieldRow { FieldRow(field: name, isEqual: a == b, original: a, rebuilt: b) }
        func noted(_ field: FieldRow, _ noise: String?) -> FieldRow {
            var noted = field
            if field.isEqual { noted.noise = noise }
            return noted
        }
        func list(_ values: [String]?) -> String { values.map { "[" + $0.joined(separator: ", ") + "]" } ?? "-" }
        func map(_ values: [String: String]) -> String { values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") }
        func check(_ value: ImageConfig.Healthcheck?) -> String {
            value.map { "\($0.test) \($0.interval) \($0.timeout) \($0.startPeriod) \($0.retries)" } ?? "-"
        }
        // Builders differ in what they add by themselves: buildah's version label, and port ranges buildah keeps
        // as written where docker's builders list each port.
        func userLabels(_ labels: [String: String]) -> [String: String] { labels.filter { !DockerfileRecovery.builderLabels.contains($0.key) } }
        func ports(_ values: [String]) -> [String] { Array(Set(values.flatMap { DockerfileRecovery.expandPort($0) })).sorted() }
        let fields = [
            row("Env", list(left.env.sorted()), list(right.env.sorted())),
            row("Cmd", list(left.cmd), list(right.cmd)),
            row("Entrypoint", list(left.entrypoint), list(right.entrypoint)),
            row("WorkingDir", left.workingDir, right.workingDir),
            row("User", left.user, right.user),
            noted(row("ExposedPorts", list(ports(left.exposedPorts)), list(ports(right.exposedPorts))),
                  left.exposedPorts.sorted() == right.exposedPorts.sorted() ? nil : "\(list(left.exposedPorts)) ≠ \(list(right.exposedPorts))"),
            row("Volumes", list(left.volumes), list(right.volumes)),
            noted(row("Labels", map(userLabels(left.labels)), map(userLabels(right.labels))),
                  left.labels == right.labels ? nil : "\(map(left.labels.filter { DockerfileRecovery.builderLabels.contains($0.key) })) ≠ \(map(right.labels.filter { DockerfileRecovery.builderLabels.contains($0.key) }))"),
            row("Healthcheck", check(left.healthcheck), check(right.healthcheck)),
            row("Shell", list(left.shell), list(right.shell)),
            row("StopSignal", left.stopSignal, right.stopSignal),
            row("OnBuild", list(left.onBuild), list(right.onBuild)),
        ]
        let instructions = original.metadata.history.filter { $0.emptyLayer == false }.map { $0.createdBy.isEmpty ? $0.comment : $0.createdBy }
        var layers: [LayerRow] = []
        var note: String?
        if original.layerPaths.count == rebuilt.layerPaths.count {
            for index in 0..<original.layerPaths.count {
                let a = try signatures(of: original, layer: index)
                let b = try signatures(of: rebuilt, layer: index)
                let instruction = index < instructions.count ? instructions[index] : ""
                let (real, noise) = differences(a, b)
                layers.append(LayerRow(number: index + 1, instruction: instruction, fileCount: a.count, differences: real, noise: noise))
            }
        } else {
            note = "the original has \(original.layerPaths.count) layers, the rebuilt image \(rebuilt.layerPaths.count)"
        }
        let a = try finalFilesystem(original)
        // Docker's builders make the WORKDIR folders; podman leaves them to the runtime, which makes them when a
        // container starts: a folder on such a path only in the rebuilt image is the builder's.
        let (real, noise) = differences(a, try finalFilesystem(rebuilt), workingDirectories: workingDirectories(original.metadata))
        let filesystem = LayerRow(number: 0, instruction: "all layers applied", fileCount: a.count, differences: real, noise: noise)
        return ImageComparison(fields: fields, layers: layers, layerCountNote: note, filesystem: filesystem)
    }

    /// Path → type, mode, owner and content hash of every member of a layer (whiteouts included).
    static func signatures(of image: ImageArchive, layer index: Int) throws(InputError) -> [String: String] {
        var result: [String: String] = [:]
        var layer = try image.layer(index)
        while let entry = try layer.next() {
            result[TarArchive.normalized(entry.path)] = try signature(entry, layer: &layer)
        }
        return result
    }

    static func signature(_ entry: TarEntry, layer: inout TarReader<LayerStream>) throws(InputError) -> String {
        let owner = "\(String(entry.mode & 0o7777, radix: 8)) \(entry.uid):\(entry.gid)"
        switch entry.type {
        case UInt8(ascii: "5"): return "dir \(owner)"
        case UInt8(ascii: "2"): return "symlink → \(entry.linkTarget)"
        case UInt8(ascii: "1"): return "hardlink → \(TarArchive.normalized(entry.linkTarget))"
        case UInt8(ascii: "0"), UInt8(ascii: "7"):
            var digest = SHA256()
            while true {
                let chunk = try layer.readContent()
                if chunk.isEmpty { break }
                digest.update(chunk)
            }
            return "file \(owner) sha256:\(digest.finalize())"
        default: return "type \(entry.type)"
        }
    }

    /// The filesystem after applying every layer with its whiteouts.
    static func finalFilesystem(_ image: ImageArchive) throws(InputError) -> [String: String] {
        var files: [String: String] = [:]
        for index in 0..<image.layerPaths.count {
            var layer = try image.layer(index)
            while let entry = try layer.next() {
                let path = TarArchive.normalized(entry.path)
                let name = path.split(separator: "/").last.map(String.init) ?? path
                let parent = path.contains("/") ? String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)]) : ""
                if name == ".wh..wh..opq" {
                    for key in files.keys where key.hasPrefix(parent + "/") { files[key] = nil }
                } else if name.hasPrefix(".wh.") {
                    let gone = (parent.isEmpty ? "" : parent + "/") + name.dropFirst(4)
                    for key in files.keys where key == gone || key.hasPrefix(gone + "/") { files[key] = nil }
                } else {
                    files[path] = try signature(entry, layer: &layer)
                }
            }
        }
        return files
    }

    /// Mount points and files the builders leave in a layer whatever the Dockerfile says: the classic builder's
    /// empty /dev, /proc and /sys, buildah's empty /etc/hosts-style files and /run/.containerenv.
    static let builderPaths: Set<String> = ["dev", "proc", "sys", "etc/hosts", "etc/hostname", "etc/resolv.conf", "run", "run/.containerenv", ".dockerenv"]
    static let emptyFileDigest = "sha256:" + SHA256.hexDigest([UInt8]())

    /// Every folder the image's WORKDIR instructions named, read from its history in order, and its config's.
    static func workingDirectories(_ image: ImageMetadata) -> [String] {
        var current = "/"
        var result: [String] = []
        // The entries as the reverser reads them, so their framing decides what is a WORKDIR.
        let steps = DockerfileRecovery.readSteps(image.history[...], config: image.config, isBuildah: DockerfileRecovery.isBuildahHistory(image.history))
        for step in steps where step.keyword == "WORKDIR" {
            current = FilePath.resolved(step.arguments, from: current)
            result.append(current)
        }
        if let configured = image.config?.workingDir, !configured.isEmpty { result.append(configured) }
        return result
    }

    /// Whether a difference at `path` is the builder's: only on one side, and an empty folder or file; or, only in
    /// the rebuilt image, a folder on the path of a working directory.
    static func isBuilderNoise(_ path: String, _ a: String?, _ b: String?, workingDirectories: [String] = []) -> Bool {
        guard (a == nil) != (b == nil), let present = a ?? b else { return false }
        if a == nil, present.hasPrefix("dir "), workingDirectories.contains(where: { directory in
            let workingPath = FilePath.cleanComponents(directory).joined(separator: "/")
            return !workingPath.isEmpty && (workingPath == path || workingPath.hasPrefix(path + "/"))
        }) { return true }
        guard builderPaths.contains(path) else { return false }
        return present.hasPrefix("dir ") || (present.hasPrefix("file ") && present.hasSuffix(emptyFileDigest))
    }

    /// The differences that matter, and those the builders make by themselves.
    static func differences(_ a: [String: String], _ b: [String: String], workingDirectories: [String] = []) -> (real: [String], noise: [String]) {
        var real: [String] = []
        var noise: [String] = []
        for path in Set(a.keys).union(b.keys).sorted() where a[path] != b[path] {
            let line = "/\(path): \(a[path] ?? "absent") ≠ \(b[path] ?? "absent")"
            if isBuilderNoise(path, a[path], b[path], workingDirectories: workingDirectories) { noise.append(line) } else { real.append(line) }
        }
        return (real, noise)
    }
}
