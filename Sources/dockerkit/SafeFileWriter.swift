import FoundationEssentials
import Glibc
import ImageHistory

/// Replaces a file's contents atomically: temporary file in the same directory, fsync, rename.
/// Keeps the mode (and owner where allowed), follows symlinks, and refuses when the file changed since it was read.
enum SafeFileWriter {
    static func write(_ bytes: [UInt8], to path: String, expecting original: [UInt8]) throws(CommandFailure) {
        let target = resolvingSymlinks(path)
        var status = stat()
        let known = stat(target, &status) == 0
        guard let current = FileManager.default.contents(atPath: target), [UInt8](current) == original else {
            throw CommandFailure(message: "\(path): changed since it was read; not written")
        }
        try replace(target, with: bytes, mode: known ? status.st_mode & 0o7777 : nil, owner: known ? (status.st_uid, status.st_gid) : nil, shownAs: path)
    }

    /// The file a path leads to through any symlinks (the path itself when it cannot be resolved).
    private static func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes a new file (or replaces one the user agreed to replace) atomically with the given mode.
    static func create(_ bytes: [UInt8], at path: String, mode: mode_t) throws(CommandFailure) {
        try replace(path, with: bytes, mode: mode, owner: nil, shownAs: path)
    }

    /// The one way files are written: temporary file beside `target`, mode and owner set, fsync, rename, fsync the folder.
    private static func replace(_ target: String, with bytes: [UInt8], mode: mode_t?, owner: (uid_t, gid_t)?, shownAs path: String) throws(CommandFailure) {
        let directory = FilePath.parent(target)
        let folder = directory.isEmpty ? "." : directory
        let temporary = folder + "/.\(FilePath.lastComponent(target)).dockerkit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw CommandFailure(message: "\(path): cannot create a temporary file beside it") }
        let written = bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
        if let mode { fchmod(descriptor, mode) }
        if let owner { _ = fchown(descriptor, owner.0, owner.1) }
        guard written, fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): writing failed; the file is unchanged")
        }
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): cannot replace the file; it is unchanged")
        }
        let directoryDescriptor = open(folder, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}
