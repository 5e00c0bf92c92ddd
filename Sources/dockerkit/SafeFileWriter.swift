import Foundation

/// Replaces a file's contents atomically: temporary file in the same directory, fsync, rename.
/// Keeps the mode (and owner where allowed), follows symlinks, and refuses when the file changed since it was read.
enum SafeFileWriter {
    static func write(_ bytes: [UInt8], to path: String, expecting original: [UInt8]) throws(CommandFailure) {
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        let attributes = try? FileManager.default.attributesOfItem(atPath: target)
        guard let current = FileManager.default.contents(atPath: target), [UInt8](current) == original else {
            throw CommandFailure(message: "\(path): changed since it was read; not written")
        }
        let directory = (target as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((target as NSString).lastPathComponent).dockerkit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw CommandFailure(message: "\(path): cannot create a temporary file beside it") }
        let ok = writeAll(bytes, to: descriptor)
        if let mode = attributes?[.posixPermissions] as? NSNumber { fchmod(descriptor, mode_t(mode.uint16Value)) }
        if let owner = attributes?[.ownerAccountID] as? NSNumber, let group = attributes?[.groupOwnerAccountID] as? NSNumber {
            _ = fchown(descriptor, uid_t(owner.uint32Value), gid_t(group.uint32Value))
        }
        guard ok, fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): writing failed; the file is unchanged")
        }
        guard rename(temporary, target) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): cannot replace the file; it is unchanged")
        }
        let directoryDescriptor = open(directory.isEmpty ? "." : directory, O_RDONLY)
        if directoryDescriptor >= 0 {
            fsync(directoryDescriptor)
            close(directoryDescriptor)
        }
    }

    /// Writes a new file (or replaces one the user agreed to replace) atomically with the given mode.
    static func create(_ bytes: [UInt8], at path: String, mode: mode_t) throws(CommandFailure) {
        let directory = (path as NSString).deletingLastPathComponent
        let temporary = (directory.isEmpty ? "." : directory) + "/.\((path as NSString).lastPathComponent).dockerkit-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard descriptor >= 0 else { throw CommandFailure(message: "\(path): cannot create a temporary file beside it") }
        let ok = writeAll(bytes, to: descriptor)
        guard ok, fchmod(descriptor, mode) == 0, fsync(descriptor) == 0, close(descriptor) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): writing failed; nothing was written")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw CommandFailure(message: "\(path): cannot be written")
        }
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var written = 0
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress else { return true }
            while written < buffer.count {
                let result = Foundation.write(descriptor, base + written, buffer.count - written)
                if result <= 0 { return false }
                written += result
            }
            return true
        }
    }
}

