import Foundation

/// Buffered writes to standard output and error (the CLI is the only place that prints).
enum StandardStreams {
    nonisolated(unsafe) private static var outputBuffer: [UInt8] = []

    static func write(_ text: String) {
        outputBuffer.append(contentsOf: text.utf8)
        if outputBuffer.count > 1 << 16 { flush() }
    }

    static func writeBytes(_ bytes: [UInt8]) {
        outputBuffer.append(contentsOf: bytes)
        if outputBuffer.count > 1 << 16 { flush() }
    }

    static func flush() {
        guard !outputBuffer.isEmpty else { return }
        outputBuffer.withUnsafeBytes { pointer in
            guard let base = pointer.baseAddress else { return }
            var offset = 0
            while offset < pointer.count {
                let written = Foundation.write(1, base + offset, pointer.count - offset)
                if written <= 0 { break }
                offset += written
            }
        }
        outputBuffer.removeAll(keepingCapacity: true)
    }

    static func error(_ text: String) {
        flush()
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// Reads a whole file, or standard input for `-`.
func readInput(_ path: String) throws(UsageError) -> [UInt8] {
    if path == "-" {
        return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
    }
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
        throw UsageError(message: "\(path): no such file")
    }
    guard !isDirectory.boolValue else { throw UsageError(message: "\(path): is a directory") }
    guard let data = FileManager.default.contents(atPath: path) else {
        throw UsageError(message: "\(path): cannot be read")
    }
    return [UInt8](data)
}
