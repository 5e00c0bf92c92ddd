import Support
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file the recovered Dockerfile expects in its build context.
package enum ContextFile: Sendable, Equatable {
    /// The members of layer `layer` (oldest first) under `target` (a member path; empty for all), as `layer-N/…`.
    case copyLayer(layer: Int, target: String)
    /// Layer `layer` whole, as the tar file `name` (ADD unpacks it).
    case layerArchive(layer: Int, name: String)
}

/// What a recovered COPY/ADD names: a context path and where it goes, with the owner to pass to `--chown` (nil for
/// root); or, when the layer's files have several owners, the layer as a tar file that ADD unpacks with its owners.
struct LayerSource: Equatable {
    var source: String
    var destination: String
    var owner: String?
    var unpacksArchive = false
}

/// Who owns the files a layer added under a destination, and whether the destination is a folder.
struct LayerSurvey {
    var hasFiles = false
    var isDirectory: Bool
    var owners = Set<String>()
    /// The owner of the destination folder itself, when the layer holds it.
    var folderOwner: String?
    var hasWhiteouts = false
    /// The first few files of the whole layer, and how many it has, to name them where they are not written.
    var firstFiles: [String] = []
    var fileCount = 0

    init(_ archive: ImageArchive, layer index: Int, destination: String) throws(InputError) {
        let target = TarArchive.normalized(destination)
        isDirectory = destination.hasSuffix("/")
        var layer = try archive.layer(index)
        while let entry = try layer.next() {
            if FilePath.lastComponent(TarArchive.normalized(entry.path)).hasPrefix(".wh.") { hasWhiteouts = true }
            if !entry.isDirectory {
                fileCount += 1
                if firstFiles.count < 8 { firstFiles.append("/" + TarArchive.normalized(entry.path)) }
            }
            guard case .inside = MemberPlacement(entry, target: target) else { continue }
            hasFiles = true
            let path = TarArchive.normalized(entry.path)
            if path == target && entry.isDirectory {
                isDirectory = true
                folderOwner = "\(entry.uid):\(entry.gid)"
            } else {
                owners.insert("\(entry.uid):\(entry.gid)")
            }
        }
    }

    /// The one owner of every file, when it is not root.
    var owner: String? { owners.count == 1 && owners.first != "0:0" ? owners.first : nil }

    /// Whether one `--chown` cannot give every file and the folder its owner: the files have several, or the
    /// folder has another that is not root (`ADD --chown` of an archive owns the folder it makes, not the files
    /// the archive holds).
    var needsOwnersKept: Bool {
        owners.count > 1 || (folderOwner != nil && folderOwner != "0:0" && owners.first.map { $0 != folderOwner } ?? false)
    }
}

/// Where a layer member goes in the context: nowhere (not under the COPY's target, or a whiteout), nowhere because
/// its name would leave the folder (`..`, an absolute name), or at these path components below `layer-N`.
enum MemberPlacement: Equatable {
    case outside
    case leaving
    case inside([String])

    init(_ entry: TarEntry, target: String) {
        let path = TarArchive.normalized(entry.path)
        guard !FilePath.lastComponent(path).hasPrefix(".wh."), path == target || path.hasPrefix(target + "/") || target.isEmpty else {
            self = .outside
            return
        }
        let components = path.split(separator: "/").map(String.init).filter { $0 != "." }
        self = entry.path.hasPrefix("/") || components.contains("..") || components.isEmpty ? .leaving : .inside(components)
    }
}

/// The context files COPY/ADD instructions name, found by reading the layers; nothing is written.
struct ContextPlan {
    private(set) var files: [ContextFile] = []

    /// A base layer kept whole; returns the file name the ADD instruction names.
    mutating func addLayerArchive(layer: Int) -> String {
        let name = "base-layer-\(layer + 1).tar"
        files.append(.layerArchive(layer: layer, name: name))
        return name
    }

    /// The files a COPY/ADD layer added under `destination`, to be written to `layer-N/…`, or nil when the layer
    /// has none. Files one `--chown` cannot own (`COPY --from` of a tree, `ADD` of an archive that keeps its owners)
    /// are kept as the layer's tar instead, which ADD unpacks with every owner, mode and link as it was.
    mutating func addCopyLayer(_ archive: ImageArchive, layer index: Int, destination: String) throws(InputError) -> LayerSource? {
        let survey = try LayerSurvey(archive, layer: index, destination: destination)
        guard survey.hasFiles else { return nil }
        if survey.needsOwnersKept && !survey.hasWhiteouts {
            let name = "layer-\(index + 1).tar"
            files.append(.layerArchive(layer: index, name: name))
            return LayerSource(source: name, destination: "/", owner: nil, unpacksArchive: true)
        }
        let target = TarArchive.normalized(destination)
        let folder = "layer-\(index + 1)"
        files.append(.copyLayer(layer: index, target: target))
        let relative = target.isEmpty ? folder + "/" : folder + "/" + target + (survey.isDirectory ? "/" : "")
        let written = target.isEmpty ? "/" : "/" + target + (survey.isDirectory ? "/" : "")
        return LayerSource(source: relative, destination: written, owner: survey.owner)
    }
}

/// Writes the files of COPY/ADD layers (and unknown base layers) into a build context folder. An image can be
/// anyone's, so nothing is written outside the folder: each path is opened one component at a time from the
/// folder down, following no symlink (`O_NOFOLLOW`), members with `..` or absolute names are skipped, and hard
/// links and device files are never made. What is skipped is said in `warnings`.
package struct BuildContextWriter {
    let directory: String
    /// Members not written, and why.
    package private(set) var warnings: [String] = []
    /// Files written without the setuid/setgid bits they had in the image, by layer number: extracting an untrusted
    /// image never leaves a setuid program in the user's folder. The Dockerfile says so beside the COPY.
    package private(set) var strippedSpecialBits: [Int: [String]] = [:]

    package init(directory: String) {
        self.directory = directory
    }

    /// Writes every file a recovered Dockerfile names.
    package mutating func write(_ files: [ContextFile], from archive: ImageArchive) throws(InputError) {
        for file in files {
            switch file {
            case .copyLayer(let layer, let target): try writeCopyLayer(archive, layer: layer, target: target)
            case .layerArchive(let layer, let name): try writeLayerArchive(archive, layer: layer, name: name)
            }
        }
    }

    /// A regular file's permission bits without setuid and setgid (noted when they were there).
    private mutating func fileMode(_ mode: Int, path: String, layer: Int) -> mode_t {
        let special = Int(S_ISUID | S_ISGID)
        if mode & special != 0 { strippedSpecialBits[layer, default: []].append(path) }
        return mode_t(mode & 0o7777 & ~special)
    }

    /// The members of a COPY/ADD layer under `target`, written to `layer-N/…`.
    private mutating func writeCopyLayer(_ archive: ImageArchive, layer index: Int, target: String) throws(InputError) {
        var layer = try archive.layer(index)
        try writeMembers(of: &layer, into: "layer-\(index + 1)", number: index + 1) { MemberPlacement($0, target: target) }
    }

    /// The members of a container's exported filesystem that `keep` selects (by normalised path), written to
    /// `folder/…` with their modes; warnings and stripped bits are the container's (number 0).
    package mutating func writeMembers(of export: inout TarReader<LayerStream>, into folder: String, keep: (String) -> Bool) throws(InputError) {
        try writeMembers(of: &export, into: folder, number: 0) { entry in
            keep(TarArchive.normalized(entry.path)) ? MemberPlacement(entry, target: "") : .outside
        }
    }

    private mutating func writeMembers(of reader: inout TarReader<LayerStream>, into folder: String, number: Int,
                                       placement: (TarEntry) -> MemberPlacement) throws(InputError) {
        let root = try openFolder(folder)
        defer { close(root) }
        var directories: [(components: [String], mode: Int)] = []
        while let entry = try reader.next() {
            switch placement(entry) {
            case .outside:
                continue
            case .leaving:
                warn(layer: number, entry.path, "its name would leave the context")
            case .inside(let components):
                if entry.isDirectory { directories.append((components, entry.mode)) }
                try place(entry, components: components, root: root, layer: &reader, number: number)
            }
        }
        // Modes last, deepest first, so a read-only folder does not stop its own files from being written.
        for (components, mode) in directories.reversed() {
            guard let parent = openParent(root, components.dropLast(), create: false) else { continue }
            let folderDescriptor = openat(parent, components[components.count - 1], O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(parent)
            guard folderDescriptor >= 0 else { continue }
            fchmod(folderDescriptor, mode_t(mode & 0o7777))
            close(folderDescriptor)
        }
    }

    /// A whole layer kept as a tar file for `ADD NAME /` (ADD unpacks it).
    private func writeLayerArchive(_ archive: ImageArchive, layer index: Int, name: String) throws(InputError) {
        var stream = try archive.layerStream(index)
        let context = try openContext()
        defer { close(context) }
        unlinkat(context, name, 0)
        let file = openat(context, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw InputError(source: directory, message: "cannot write \(name): \(String(cString: strerror(errno)))") }
        defer { close(file) }
        while true {
            let chunk = try stream.read(1 << 16)
            if chunk.isEmpty { return }
            try writeAll(chunk, to: file, name: name)
        }
    }

    private mutating func place(_ entry: TarEntry, components: [String], root: Int32, layer: inout TarReader<LayerStream>, number: Int) throws(InputError) {
        guard let parent = openParent(root, components.dropLast(), create: true) else {
            warn(layer: number, entry.path, "a folder on its path is a symlink or a file")
            return
        }
        defer { close(parent) }
        let name = components[components.count - 1]
        switch entry.type {
        case UInt8(ascii: "5"):
            if mkdirat(parent, name, 0o755) != 0 {
                let existing = openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard existing >= 0 else {
                    warn(layer: number, entry.path, "a symlink or a file stands where the folder goes")
                    return
                }
                close(existing)
            }
        case UInt8(ascii: "2"):
            guard removeExisting(parent, name) else {
                warn(layer: number, entry.path, "a folder stands where the symlink goes")
                return
            }
            guard symlinkat(entry.linkTarget, parent, name) == 0 else {
                throw InputError(source: directory, message: "cannot create the symlink layer-\(number)/\(components.joined(separator: "/")): \(String(cString: strerror(errno)))")
            }
        case UInt8(ascii: "0"), UInt8(ascii: "7"):
            let file = try createFile(parent, name, entry: entry, number: number)
            guard let file else { return }
            defer { close(file) }
            while true {
                let chunk = try layer.readContent()
                if chunk.isEmpty { break }
                try writeAll(chunk, to: file, name: entry.path)
            }
            fchmod(file, fileMode(entry.mode, path: entry.path, layer: number))
        case UInt8(ascii: "1"):
            // The linked file's contents again, as a file of its own: a hard link could reach outside the folder.
            let linked = TarArchive.normalized(entry.linkTarget).split(separator: "/").map(String.init).filter { $0 != "." }
            guard !linked.isEmpty, !linked.contains(".."), let linkedParent = openParent(root, linked.dropLast(), create: false) else {
                warn(layer: number, entry.path, "a hard link to \(entry.linkTarget), which is not among the files written")
                return
            }
            let source = openat(linkedParent, linked[linked.count - 1], O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
            close(linkedParent)
            var status = stat()
            guard source >= 0, fstat(source, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
                if source >= 0 { close(source) }
                warn(layer: number, entry.path, "a hard link to \(entry.linkTarget), which is not among the files written")
                return
            }
            defer { close(source) }
            guard let file = try createFile(parent, name, entry: entry, number: number) else { return }
            defer { close(file) }
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let count = buffer.withUnsafeMutableBytes { chunk -> Int in
                    guard let base = chunk.baseAddress else { return 0 }
                    return read(source, base, chunk.count)
                }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                try writeAll(buffer[..<count], to: file, name: entry.path)
            }
            fchmod(file, fileMode(Int(status.st_mode), path: entry.path, layer: number))
        case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"):
            warn(layer: number, entry.path, "device files and FIFOs are not created")
        default:
            warn(layer: number, entry.path, "a member of type '\(Character(Unicode.Scalar(entry.type)))' is not written")
        }
    }

    /// A new regular file `name` in `parent` (what stood there, not a folder, is replaced), or nil with a warning.
    private mutating func createFile(_ parent: Int32, _ name: String, entry: TarEntry, number: Int) throws(InputError) -> Int32? {
        guard removeExisting(parent, name) else {
            warn(layer: number, entry.path, "a folder stands where the file goes")
            return nil
        }
        let file = openat(parent, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard file >= 0 else { throw InputError(source: directory, message: "cannot write \(entry.path): \(String(cString: strerror(errno)))") }
        return file
    }

    /// Removes a file or symlink `name` in `parent`; false when a folder is there.
    private func removeExisting(_ parent: Int32, _ name: String) -> Bool {
        unlinkat(parent, name, 0) == 0 || errno == ENOENT
    }

    /// The folder `components` below `root`, opened without following symlinks (and made when `create`).
    private func openParent(_ root: Int32, _ components: ArraySlice<String>, create: Bool) -> Int32? {
        var current = dup(root)
        guard current >= 0 else { return nil }
        for component in components {
            var next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 && errno == ENOENT && create {
                mkdirat(current, component, 0o755)
                next = openat(current, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            }
            close(current)
            guard next >= 0 else { return nil }
            current = next
        }
        return current
    }

    private func openContext() throws(InputError) -> Int32 {
        let context = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard context >= 0 else { throw InputError(source: directory, message: "cannot open the context folder: \(String(cString: strerror(errno)))") }
        return context
    }

    /// `name` directly in the context folder, made when missing; a symlink there is refused.
    private func openFolder(_ name: String) throws(InputError) -> Int32 {
        let context = try openContext()
        defer { close(context) }
        mkdirat(context, name, 0o755)
        let folder = openat(context, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard folder >= 0 else { throw InputError(source: directory, message: "cannot use \(name) in the context folder: it is not a folder (\(String(cString: strerror(errno))))") }
        return folder
    }

    private func writeAll<Bytes: Collection>(_ bytes: Bytes, to file: Int32, name: String) throws(InputError) where Bytes.Element == UInt8 {
        let chunk = Array(bytes)
        var written = 0
        while written < chunk.count {
            let count = chunk.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return systemWrite(file, base + written, chunk.count - written)
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { throw InputError(source: directory, message: "cannot write \(name): \(String(cString: strerror(errno)))") }
            written += count
        }
    }

    private mutating func warn(layer number: Int, _ path: String, _ reason: String) {
        warnings.append("\(number == 0 ? "container" : "layer \(number)"): skipped \(path.escapingControlCharacters()): \(reason)")
    }
}

/// The C library's write(2), which the writer's own `write` hides inside it.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
