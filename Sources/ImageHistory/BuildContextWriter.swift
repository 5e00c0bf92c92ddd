import FoundationEssentials
import Glibc

/// Writes the files of COPY/ADD layers (and unknown base layers) into a build context folder.
struct BuildContextWriter {
    let directory: String

    /// The files a COPY/ADD layer added under `destination`, written to `layer-N/…`; returns the source to name
    /// in the instruction and the owner to pass to `--chown` (nil for root).
    func writeCopyLayer(_ layer: TarArchive, number: Int, destination: String) throws(ImageInputError) -> (source: String, destination: String, owner: String?)? {
        let target = TarArchive.normalized(destination)
        let entries = layer.entries.filter { entry in
            let path = TarArchive.normalized(entry.path)
            let base = FilePath.lastComponent(path)
            return !base.hasPrefix(".wh.") && (path == target || path.hasPrefix(target + "/") || target.isEmpty)
        }
        guard !entries.isEmpty else { return nil }
        let folder = "layer-\(number)"
        let root = directory + "/" + folder
        var owners = Set<String>()
        var isDirectory = destination.hasSuffix("/")
        for entry in entries {
            let path = TarArchive.normalized(entry.path)
            let destinationPath = root + "/" + path
            if path == target && entry.type == UInt8(ascii: "5") { isDirectory = true }
            if path != target || entry.type != UInt8(ascii: "5") { owners.insert("\(entry.uid):\(entry.gid)") }
            try write(entry, from: layer, to: destinationPath)
        }
        for entry in entries.reversed() where entry.type == UInt8(ascii: "5") {
            chmod(root + "/" + TarArchive.normalized(entry.path), mode_t(entry.mode & 0o7777))
        }
        let owner = owners.count == 1 && owners.first != "0:0" ? owners.first : nil
        let relative = target.isEmpty ? folder + "/" : folder + "/" + target + (isDirectory ? "/" : "")
        let written = target.isEmpty ? "/" : "/" + target + (isDirectory ? "/" : "")
        return (relative, written, owner)
    }

    /// A whole layer kept as a tar file for `ADD base-layer-N.tar /` (ADD unpacks it).
    func writeLayerArchive(_ bytes: [UInt8], number: Int) throws(ImageInputError) -> String {
        let name = "base-layer-\(number).tar"
        try createDirectory(directory)
        guard FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(bytes)) else {
            throw ImageInputError(source: directory, message: "cannot write \(name)")
        }
        return name
    }

    private func write(_ entry: TarArchive.Entry, from layer: TarArchive, to path: String) throws(ImageInputError) {
        try createDirectory(FilePath.parent(path))
        switch entry.type {
        case UInt8(ascii: "5"):
            try createDirectory(path)
        case UInt8(ascii: "2"):
            unlink(path)
            guard symlink(entry.linkTarget, path) == 0 else { throw ImageInputError(source: directory, message: "cannot create the symlink \(path)") }
        case UInt8(ascii: "0"), UInt8(ascii: "7"), UInt8(ascii: "1"):
            var contents = Array(layer.bytes[entry.contentOffsets])
            if entry.type == UInt8(ascii: "1"), let linked = layer.contents(of: entry.linkTarget) { contents = linked }
            guard FileManager.default.createFile(atPath: path, contents: Data(contents)) else {
                throw ImageInputError(source: directory, message: "cannot write \(path)")
            }
            chmod(path, mode_t(entry.mode & 0o7777))
        default:
            break
        }
    }

    private func createDirectory(_ path: String) throws(ImageInputError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw ImageInputError(source: directory, message: "cannot create the folder \(path)")
        }
    }
}
