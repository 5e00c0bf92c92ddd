import Support

/// Splits a byte stream into LSP messages (`Content-Length: N` headers, a blank line, N bytes of JSON). Each byte
/// is looked at a bounded number of times however the stream arrives; a header or a body past its cap, or a header
/// without a usable length, is reported once and reading resynchronises on the next `Content-Length` header.
package struct MessageReader: Sendable {
    /// What the stream held next.
    package enum Message: Sendable {
        case message(JSONValue)
        /// A body that is not JSON, or framing that could not be read: answered with a parse error, reading goes on.
        case unreadable(String)
    }

    /// Bodies larger than this are refused (and skipped as they arrive) rather than buffered.
    package static let maximumBodySize = 64 << 20
    /// Headers longer than this are not headers.
    package static let maximumHeaderSize = 8 << 10

    private var buffer: [UInt8] = []
    private var start = 0
    /// Where the search for the end of the current header goes on (everything before it was searched).
    private var scanned = 0
    /// Bytes of a refused body still to drop as they arrive.
    private var skipping = 0
    /// Whether the bytes being read are no message (reported once, until the next message is read).
    private var inGarbage = false

    package init() {}

    package mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil until more bytes arrive. A run of bytes that are no message is reported
    /// once, however long it is.
    package mutating func next() -> Message? {
        while true {
            if skipping > 0 {
                let dropped = min(skipping, buffer.count - start)
                start += dropped
                skipping -= dropped
                scanned = start
                compact()
                if skipping > 0 { return nil }
            }
            var problem: String
            if let headerEnd = findHeaderEnd() {
                guard let length = Self.contentLength(buffer[start..<headerEnd]) else {
                    problem = "a header without a usable Content-Length"
                    resynchronise(after: start)
                    if let report = reportOnce(problem) { return report }
                    continue
                }
                let bodyStart = headerEnd + 4
                guard length <= Self.maximumBodySize else {
                    start = bodyStart
                    skipping = length
                    scanned = start
                    inGarbage = false
                    return .unreadable("a body of \(length) bytes, over the \(Self.maximumBodySize)-byte limit")
                }
                guard buffer.count - bodyStart >= length else { return nil }
                let body = buffer[bodyStart..<(bodyStart + length)]
                start = bodyStart + length
                scanned = start
                inGarbage = false
                compact()
                do {
                    return .message(try JSONValue.parse(body))
                } catch {
                    return .unreadable(error.message)
                }
            }
            guard buffer.count - start > Self.maximumHeaderSize else {
                compact()
                return nil
            }
            problem = "a header longer than \(Self.maximumHeaderSize) bytes"
            resynchronise(after: start)
            if let report = reportOnce(problem) { return report }
        }
    }

    /// The report of bytes that are no message, the first time in a run of them.
    private mutating func reportOnce(_ problem: String) -> Message? {
        guard !inGarbage else { return nil }
        inGarbage = true
        return .unreadable(problem)
    }

    /// The offset of the `\r\n\r\n` that ends the header at `start`, searching only bytes not searched before.
    private mutating func findHeaderEnd() -> Int? {
        var index = max(start, scanned - 3)
        let limit = min(buffer.count, start + Self.maximumHeaderSize + 4)
        while index + 3 < limit {
            if buffer[index] == 0x0D, buffer[index + 1] == 0x0A, buffer[index + 2] == 0x0D, buffer[index + 3] == 0x0A { return index }
            index += 1
        }
        scanned = max(start, limit)
        return nil
    }

    /// The `Content-Length` of a header block; nil when it has none, or one that is not a number.
    static func contentLength(_ header: ArraySlice<UInt8>) -> Int? {
        var length: Int?
        for line in header.split(separator: 0x0A) {
            let text = String(decoding: line, as: UTF8.self)
            let parts = text.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].trimming(" ").trimming("\r").lowercased()
            if name == "content-length" {
                let value = parts[1].trimming("\r").trimming(" ")
                guard value.count <= 12, let number = Int(value), number >= 0 else { return nil }
                length = number
            } else if name.isEmpty || !name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) {
                return nil
            }
        }
        return length
    }

    /// Drops everything up to the next `Content-Length` header after `offset` (or all but a possible start of one).
    private mutating func resynchronise(after offset: Int) {
        let marker = Array("content-length:".utf8)
        var index = offset + 1
        while index + marker.count <= buffer.count {
            if zip(buffer[index..<(index + marker.count)], marker).allSatisfy({ ($0 | 0x20) == $1 }) {
                start = index
                scanned = start
                compact()
                return
            }
            index += 1
        }
        start = max(offset + 1, buffer.count - marker.count + 1)
        scanned = start
        compact()
    }

    /// Drops consumed bytes once they are most of the buffer.
    private mutating func compact() {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            scanned -= start
            start = 0
        }
    }
}

/// `Content-Length` framing of an outgoing JSON text.
package func framed(_ json: String) -> [UInt8] {
    let body = Array(json.utf8)
    return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}
