import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file's contents without losing a byte: a temporary file in the same folder, fsync, rename, with the
/// mode and owner kept and symlinks followed. It refuses (exit 2) a file the user may not write and a file that
/// changed since it was read, checking again just before the rename. A file with other hard links is rewritten in place
/// (truncate, write, fsync) so every link sees the result.
package enum SafeFileWriter {
    /// What a file was when it was read: enough to tell whether anything replaced or changed it since.
    private struct Snapshot: Equatable {
        let device: UInt64
        let inode: UInt64
        let size: Int
        let modifiedSeconds: Int
        let modifiedNanoseconds: Int

        init(_ status: stat) {
            device = UInt64(status.st_dev)
            inode = UInt64(status.st_ino)
            size = Int(status.st_size)
            modifiedSeconds = Int(status.st_mtim.tv_sec)
            modifiedNanoseconds = Int(status.st_mtim.tv_nsec)
        }
    }

    /// `meanwhile` runs after the new contents are written and before the last check (tests change the file there).
    package static func write(_ bytes: [UInt8], to path: String, expecting original: [UInt8], meanwhile: () -> Void = {}) throws(FileWriteError) {
        let target = resolvingSymlinks(path)
        var status = stat()
        guard stat(target, &status) == 0 else { throw FileWriteError(message: "\(path): cannot be read; not written") }
        // The system decides who may write: a read-only file is refused to those it refuses (root may, as with
        // `sed -i`), and keeps its mode when written.
        guard access(target, W_OK) == 0 else {
            throw FileWriteError(message: "\(path): read-only (mode \(String(status.st_mode & 0o7777, radix: 8))); not written")
        }
        let snapshot = Snapshot(status)
        try checkUnchanged(target, snapshot: snapshot, original: original, shownAs: path)
        if status.st_nlink > 1 {
            meanwhile()
            try rewriteInPlace(target, with: bytes, snapshot: snapshot, original: original, shownAs: path)
            return
        }
        try replace(target, with: bytes, mode: status.st_mode & 0o7777, owner: (status.st_uid, status.st_gid), shownAs: path) { () throws(FileWriteError) in
            meanwhile()
            try checkUnchanged(target, snapshot: snapshot, original: original, shownAs: path)
        }
    }

    /// Writes a new file (or replaces one the user agreed to replace) atomically with the given mode.
    package static func create(_ bytes: [UInt8], at path: String, mode: mode_t) throws(FileWriteError) {
        try replace(path, with: bytes, mode: mode, owner: nil, shownAs: path) {}
    }

    /// The file a path leads to through any symlinks (the path itself when it cannot be resolved).
    private static func resolvingSymlinks(_ path: String) -> String {
        guard let resolved = realpath(path, nil) else { return path }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Refuses when the file at `target` is no longer the one read: another file, another size or time, or other bytes.
    private static func checkUnchanged(_ target: String, snapshot: Snapshot, original: [UInt8], shownAs path: String) throws(FileWriteError) {
        let descriptor = open(target, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileWriteError(message: "\(path): changed since it was read (it is gone); not written") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Snapshot(status) == snapshot, readAll(from: descriptor, limit: original.count) == original else {
            throw FileWriteError(message: "\(path): changed since it was read; not written")
        }
    }

    /// Truncate, write and fsync the file itself, for files with other hard links (a rename would split them).
    private static func rewriteInPlace(_ target: String, with bytes: [UInt8], snapshot: Snapshot, original: [UInt8], shownAs path: String) throws(FileWriteError) {
        let descriptor = open(target, O_RDWR | O_CLOEXEC)
        guard descriptor >= 0 else { throw FileWriteError(message: "\(path): cannot be opened for writing; not written") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, Snapshot(status) == snapshot, readAll(from: descriptor, limit: original.count) == original else {
            throw FileWriteError(message: "\(path): changed since it was read; not written")
        }
        guard ftruncate(descriptor, 0) == 0, lseek(descriptor, 0, SEEK_SET) == 0 else {
            throw FileWriteError(message: "\(path): cannot be truncated; it is unchanged")
        }
        let written = bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
        guard written, fsync(descriptor) == 0 else {
            // The old bytes go back, so a failed write never leaves half a file.
            _ = ftruncate(descriptor, 0)
            _ = lseek(descriptor, 0, SEEK_SET)
            _ = original.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
            _ = fsync(descriptor)
            throw FileWriteError(message: "\(path): writing failed; the old contents were written back")
        }
    }

    /// The one way files are replaced: temporary file beside `target`, mode and owner set, fsync, `beforeRename`
    /// (which may refuse), rename, fsync the folder.
    private static func replace(_ target: String, with bytes: [UInt8], mode: mode_t?, owner: (uid_t, gid_t)?, shownAs path: String,
                                beforeRename: () throws(FileWriteError) -> Void) throws(FileWriteError) {
        let directory = FilePath.parent(target)
        let folder = directory.isEmpty ? "." : directory
        let temporary = folder + "/.\(FilePath.lastComponent(target)).dockerkit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileWriteError(message: "\(path): cannot create a temporary file beside it") }
        let written = bytes.withUnsafeBufferPointer { writeAll($0, to: descriptor) }
        if let mode { fchmod(descriptor, mode) }
        if let owner { _ = fchown(descriptor, owner.0, owner.1) }
        guard written, fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw FileWriteError(message: "\(path): writing failed; the file is unchanged")
        }
        do {
            try beforeRename()
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            throw FileWriteError(message: "\(path): cannot replace the file; it is unchanged")
        }
        let directoryDescriptor = open(folder, O_RDONLY | O_CLOEXEC)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }
}

/// Why a file was not written; the message names the file and says that it is unchanged.
package struct FileWriteError: Error, Sendable, Equatable {
    package let message: String

    package init(message: String) {
        self.message = message
    }
}
