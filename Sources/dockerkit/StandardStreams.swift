import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import DockerfileSyntax

/// Buffered writes to standard output and error (the CLI is the only place that prints).
enum StandardStreams {
    /// Standard input holds a Dockerfile for a command given no file: a redirected non-empty file
    /// (`lint < Dockerfile`), or a pipe with bytes waiting within 200 ms (`cat Dockerfile | lint`). A terminal,
    /// /dev/null, or a pipe left open and idle (some CI runners) is not, so those still read ./Dockerfile.
    static var inputHoldsAFile: Bool {
        var status = stat()
        guard fstat(0, &status) == 0 else { return false }
        switch status.st_mode & S_IFMT {
        case S_IFREG:
            return status.st_size > 0
        case S_IFIFO:
            var waiting = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            return poll(&waiting, 1, 200) == 1 && waiting.revents & Int16(POLLIN) != 0
        default:
            return false
        }
    }

    nonisolated(unsafe) private static var outputBuffer: [UInt8] = []

    static func write(_ text: String) {
        var text = text
        if text.utf8.count > 1 << 16 {
            // A large report goes straight out from the string's own storage instead of being copied.
            flush()
            text.withUTF8 { _ = writeAll($0, to: 1) }
            return
        }
        outputBuffer.append(contentsOf: text.utf8)
        if outputBuffer.count > 1 << 16 { flush() }
    }

    static func writeBytes(_ bytes: some Collection<UInt8>) {
        outputBuffer.append(contentsOf: bytes)
        if outputBuffer.count > 1 << 16 { flush() }
    }

    static func flush() {
        guard !outputBuffer.isEmpty else { return }
        _ = outputBuffer.withUnsafeBufferPointer { writeAll($0, to: 1) }
        outputBuffer.removeAll(keepingCapacity: true)
    }

    static func error(_ text: String) {
        flush()
        var text = text
        text.withUTF8 { _ = writeAll($0, to: 2) }
    }
}


/// Reads a whole file, or standard input for `-`.
func readInput(_ path: String, limit: Int = defaultInputLimit) throws(UsageError) -> [UInt8] {
    let descriptor: Int32
    if path == "-" {
        descriptor = 0
    } else {
        guard let directory = isDirectory(path) else {
            throw UsageError(message: "\(path): no such file")
        }
        guard !directory else { throw UsageError(message: "\(path): is a directory") }
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UsageError(message: "\(path): cannot be read (\(String(cString: strerror(errno))))") }
    }
    defer { if descriptor != 0 { close(descriptor) } }
    guard let bytes = readAll(from: descriptor, limit: limit) else {
        throw UsageError(message: "\(path == "-" ? "<stdin>" : path): larger than the input limit of \(describeByteSize(limit)); raise it with --max-input-size")
    }
    return bytes
}

/// How much one input (a Dockerfile, standard input, a history file) may hold unless `--max-input-size` says more:
/// an endless stream must not grow memory without bound.
let defaultInputLimit = 64 << 20

/// A size such as `64M`, `2G`, `512K` or a number of bytes.
func parseByteSize(_ text: String, option: String) throws(UsageError) -> Int {
    var digits = Substring(text)
    var unit = 1
    switch digits.last.map({ Character($0.uppercased()) }) {
    case "K": unit = 1 << 10
    case "M": unit = 1 << 20
    case "G": unit = 1 << 30
    case "T": unit = 1 << 40
    default: break
    }
    if unit != 1 { digits = digits.dropLast() }
    guard let value = Int(digits), value > 0, value <= Int.max / unit else {
        throw UsageError(message: "\(option) takes a size such as 64M, 2G or a number of bytes, not '\(text)'")
    }
    return value * unit
}


/// Asks the kernel to start reading these files now, all at once: with a cold page cache, reading thousands of
/// small files one after another waits on the disk for each; this way the reads overlap.
func prefetch(_ paths: [String]) {
    for path in paths where path != "-" {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { continue }
        _ = posix_fadvise(descriptor, 0, 0, POSIX_FADV_WILLNEED)
        close(descriptor)
    }
}

/// Reads a Dockerfile: `readInput`, refusing a source larger than source positions can address.
func readDockerfile(_ path: String, limit: Int = defaultInputLimit) throws(UsageError) -> [UInt8] {
    let bytes = try readInput(path, limit: limit)
    guard bytes.count <= SourcePosition.maximumOffset else {
        throw UsageError(message: "\(path): larger than 4 GiB, too large to be a Dockerfile")
    }
    return bytes
}

/// The CLI's own reader (`-` is standard input), with its error as an input error naming the file.
func readInputFile(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
    do {
        return try readInput(path, limit: limit)
    } catch {
        let message = error.message.hasPrefix(path + ": ") ? String(error.message.dropFirst(path.count + 2)) : error.message
        throw InputError(source: path, message: message)
    }
}
