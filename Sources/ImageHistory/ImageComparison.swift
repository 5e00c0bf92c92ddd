import Support

/// Whether a rebuilt image is equivalent to the original: config fields, and each layer's files and contents.
package struct ImageComparison: Sendable {
    /// One config field and whether both images agree on it.
    package struct FieldRow: Sendable {
        package let field: String
        package let isEqual: Bool
        package let original: String
        package let rebuilt: String
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
    package let layers: [LayerRow]
    /// Set when the layer counts differ, so layers could not be paired; then the final filesystems were compared.
    package let layerCountNote: String?

    package var isEquivalent: Bool { fields.allSatisfy(\.isEqual) && layers.allSatisfy(\.isEqual) }

    /// Compares two saved images. RUN layers are compared by content, not timestamps.
    package static func compare(original: ImageArchive, rebuilt: ImageArchive) throws(InputError) -> ImageComparison {
        let left = original.metadata.config ?? ImageConfig()
        let right = rebuilt.metadata.config ?? ImageConfig()
        func row(_ name: String, _ a: String, _ b: String) -> FieldRow { FieldRow(field: name, isEqual: a == b, original: a, rebuilt: b) }
        func list(_ values: [String]?) -> String { values.map { "[" + $0.joined(separator: ", ") + "]" } ?? "-" }
        func map(_ values: [String: String]) -> String { values.keys.sorted().map { "\($0)=\(values[$0] ?? "")" }.joined(separator: ", ") }
        func check(_ value: ImageConfig.Healthcheck?) -> String {
            value.map { "\($0.test) \($0.interval) \($0.timeout) \($0.startPeriod) \($0.retries)" } ?? "-"
        }
        let fields = [
            row("Env", list(left.env.sorted()), list(right.env.sorted())),
            row("Cmd", list(left.cmd), list(right.cmd)),
            row("Entrypoint", list(left.entrypoint), list(right.entrypoint)),
            row("WorkingDir", left.workingDir, right.workingDir),
            row("User", left.user, right.user),
            row("ExposedPorts", list(left.exposedPorts), list(right.exposedPorts)),
            row("Volumes", list(left.volumes), list(right.volumes)),
            row("Labels", map(left.labels), map(right.labels)),
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
            note = "the original has \(original.layerPaths.count) layers, the rebuilt image \(rebuilt.layerPaths.count); final filesystems compared"
            let a = try finalFilesystem(original)
            let b = try finalFilesystem(rebuilt)
            let (real, noise) = differences(a, b)
            layers.append(LayerRow(number: 0, instruction: "all layers applied", fileCount: a.count, differences: real, noise: noise))
        }
        return ImageComparison(fields: fields, layers: layers, layerCountNote: note)
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

    private static func signature(_ entry: TarEntry, layer: inout TarReader<LayerStream>) throws(InputError) -> String {
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

    /// Whether a difference at `path` is the builder's: only on one side, and an empty folder or file.
    static func isBuilderNoise(_ path: String, _ a: String?, _ b: String?) -> Bool {
        guard builderPaths.contains(path), (a == nil) != (b == nil), let present = a ?? b else { return false }
        return present.hasPrefix("dir ") || (present.hasPrefix("file ") && present.hasSuffix(emptyFileDigest))
    }

    /// The differences that matter, and those the builders make by themselves.
    private static func differences(_ a: [String: String], _ b: [String: String]) -> (real: [String], noise: [String]) {
        var real: [String] = []
        var noise: [String] = []
        for path in Set(a.keys).union(b.keys).sorted() where a[path] != b[path] {
            let line = "/\(path): \(a[path] ?? "absent") ≠ \(b[path] ?? "absent")"
            if isBuilderNoise(path, a[path], b[path]) { noise.append(line) } else { real.append(line) }
        }
        return (real, noise)
    }
}
