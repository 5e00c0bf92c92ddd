import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes read in order, a chunk at a time, so that archives and layers never have to fit in memory.
package protocol ByteStream {
    /// Up to `maximum` next bytes; empty only at the end of the stream.
    mutating func read(_ maximum: Int) throws(InputError) -> ArraySlice<UInt8>
    /// Passes over `count` bytes; fewer only at the end of the stream. Returns how many were passed over.
    mutating func skip(_ count: Int) throws(InputError) -> Int
}

extension ByteStream {
    package mutating func skip(_ count: Int) throws(InputError) -> Int {
        var skipped = 0
        while skipped < count {
            let chunk = try read(min(count - skipped, 1 << 16))
            if chunk.isEmpty { break }
            skipped += chunk.count
        }
        return skipped
    }
}

/// A file opened for reading by offset; closed when the last copy goes.
package final class OpenFile: Sendable {
    let descriptor: Int32
    /// The file's size when it was opened.
    package let size: Int

    /// Opens `path` for reading; `source` names it in errors. A file that is not regular (a pipe, standard input
    /// as `-`) is first copied to an unlinked temporary file, so it can be read by offset.
    package init(path: String, source: String) throws(InputError) {
        let isStandardInput = path == "-"
        let opened = isStandardInput ? dup(0) : open(path, O_RDONLY | O_CLOEXEC)
        guard opened >= 0 else { throw InputError(source: source, message: String(cString: strerror(errno))) }
        var status = stat()
        guard fstat(opened, &status) == 0 else {
            close(opened)
            throw InputError(source: source, message: String(cString: strerror(errno)))
        }
        if (status.st_mode & S_IFMT) == S_IFREG {
            descriptor = opened
            size = Int(status.st_size)
            return
        }
        defer { close(opened) }
        let (spooled, spooledSize) = try Self.spool(opened, source: source)
        descriptor = spooled
        size = spooledSize
    }

    deinit { close(descriptor) }

    /// Reads `range`, which must lie inside the file.
    func bytes(_ range: Range<Int>, source: String) throws(InputError) -> [UInt8] {
        guard range.lowerBound >= 0, range.upperBound <= size else {
            throw InputError(source: source, message: "read past the end of the file (bytes \(range.lowerBound)..<\(range.upperBound) of \(size))")
        }
        var bytes = [UInt8](repeating: 0, count: range.count)
        var done = 0
        while done < range.count {
            let count = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + done, range.count - done, off_t(range.lowerBound + done))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else {
                throw InputError(source: source, message: count == 0 ? "the file shrank while it was read" : String(cString: strerror(errno)))
            }
            done += count
        }
        return bytes
    }

    private static func spool(_ input: Int32, source: String) throws(InputError) -> (Int32, Int) {
        var template = Array("\(FilePath.temporaryDirectory)/dockerkit-spool-XXXXXX".utf8CString)
        let file = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            let made = mkstemp(base)
            if made >= 0 { unlink(base) }
            return made
        }
        guard file >= 0 else { throw InputError(source: source, message: "cannot make a temporary file to read it from") }
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { chunk -> Int in
                guard let base = chunk.baseAddress else { return 0 }
                return read(input, base, chunk.count)
            }
            if count < 0 && errno == EINTR { continue }
            if count < 0 {
                close(file)
                throw InputError(source: source, message: String(cString: strerror(errno)))
            }
            if count == 0 { break }
            var written = 0
            while written < count {
                let result = buffer.withUnsafeBytes { chunk -> Int in
                    guard let base = chunk.baseAddress else { return 0 }
                    return write(file, base + written, count - written)
                }
                if result < 0 && errno == EINTR { continue }
                guard result > 0 else {
                    close(file)
                    throw InputError(source: source, message: "cannot copy it to a temporary file: \(String(cString: strerror(errno)))")
                }
                written += result
            }
            total += count
        }
        return (file, total)
    }
}

/// Where an archive's bytes are: in memory, or in a file read by offset.
package enum ByteStore: Sendable {
    case memory([UInt8])
    case file(OpenFile)

    /// The number of bytes.
    package var count: Int {
        switch self {
        case .memory(let bytes): bytes.count
        case .file(let file): file.size
        }
    }

    /// The bytes in `range`, which must lie inside the store.
    package func read(_ range: Range<Int>, source: String) throws(InputError) -> ArraySlice<UInt8> {
        switch self {
        case .memory(let bytes):
            guard range.lowerBound >= 0, range.upperBound <= bytes.count else {
                throw InputError(source: source, message: "read past the end (bytes \(range.lowerBound)..<\(range.upperBound) of \(bytes.count))")
            }
            return bytes[range]
        case .file(let file):
            return try file.bytes(range, source: source)[...]
        }
    }
}

/// A range of a byte store read in order.
package struct StoreRegionStream: ByteStream {
    let store: ByteStore
    let source: String
    private(set) var position: Int
    let end: Int

    /// The whole store, read from its start.
    package static func whole(_ store: ByteStore, source: String) -> StoreRegionStream {
        StoreRegionStream(store: store, range: 0..<store.count, source: source)
    }

    package init(store: ByteStore, range: Range<Int>, source: String) {
        self.store = store
        self.source = source
        position = range.lowerBound
        end = range.upperBound
    }

    package mutating func read(_ maximum: Int) throws(InputError) -> ArraySlice<UInt8> {
        let count = min(maximum, end - position)
        guard count > 0 else { return [] }
        let bytes = try store.read(position..<(position + count), source: source)
        position += count
        return bytes
    }

    package mutating func skip(_ count: Int) throws(InputError) -> Int {
        let skipped = max(0, min(count, end - position))
        position += skipped
        return skipped
    }
}
