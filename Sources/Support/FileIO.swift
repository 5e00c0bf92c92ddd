#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything on a file descriptor until its end; nil when that is more than `limit` bytes.
package func readAll(from descriptor: Int32, limit: Int = Int.max) -> [UInt8]? {
    var bytes: [UInt8] = []
    // A regular file's size is known: room for all of it at once, rather than copies as the array grows (one more
    // byte, so that reading the end of the file needs no growth).
    var status = stat()
    if fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG, status.st_size > 0 {
        bytes.reserveCapacity(Int(min(Int64(status.st_size), Int64(min(limit, Int.max - 1)))) + 1)
    }
    // Not zeroed: filling 64 KiB with zeros touched sixteen fresh pages on every run, a tenth of a one-file
    // lint's page faults; `read` writes only the bytes it returns.
    let buffer = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << 16)
    defer { buffer.deallocate() }
    while true {
        let count = read(descriptor, buffer.baseAddress, buffer.count)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return bytes }
        guard count <= limit - bytes.count else { return nil }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[..<count]))
    }
}

/// Writes every byte to a file descriptor, going on after short writes; false when the system refuses.
package func writeAll(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) -> Bool {
    guard let base = buffer.baseAddress else { return true }
    var offset = 0
    while offset < buffer.count {
        let written = write(descriptor, base + offset, buffer.count - offset)
        if written < 0 && errno == EINTR { continue }
        if written <= 0 { return false }
        offset += written
    }
    return true
}

/// What reading a file we wrote earlier (a state file, a log) found.
package enum StoredFileReading: Sendable, Equatable {
    /// Nothing is at the path.
    case absent
    case contents([UInt8])
}

/// Reads a file this program wrote earlier: nothing there is `.absent`; anything else that is not a readable
/// regular file of at most `limit` bytes is an error, never taken for absent.
package func readStoredFile(_ path: String, limit: Int) throws(InputError) -> StoredFileReading {
    var status = stat()
    guard lstat(path, &status) == 0 else {
        if errno == ENOENT { return .absent }
        throw InputError(source: path, message: "cannot be read (\(String(cString: strerror(errno))))")
    }
    guard status.st_mode & S_IFMT == S_IFREG else {
        throw InputError(source: path, message: "is not a regular file; move it away")
    }
    guard Int(status.st_size) <= limit else {
        throw InputError(source: path, message: "is larger than \(limit >> 20) MiB, more than this program ever writes there; move it away")
    }
    let descriptor = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard descriptor >= 0 else { throw InputError(source: path, message: "cannot be read (\(String(cString: strerror(errno))))") }
    defer { close(descriptor) }
    guard let bytes = readAll(from: descriptor, limit: limit) else {
        throw InputError(source: path, message: "is larger than \(limit >> 20) MiB, more than this program ever writes there; move it away")
    }
    return .contents(bytes)
}
