import Support

/// Splits a byte stream into LSP messages (`Content-Length: N` headers, a blank line, N bytes of JSON).
package struct MessageReader: Sendable {
    /// What the stream held next.
    package enum Message: Sendable {
        case message(JSONValue)
        /// A body that is not JSON: answered with a parse error, and reading goes on.
        case unreadable(String)
    }

    /// Bodies larger than this are refused (and skipped) rather than buffered.
    package static let maximumBodySize = 64 << 20

    private var buffer: [UInt8] = []
    private var start = 0

    package init() {}

    package mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message, or nil until more bytes arrive.
    package mutating func next() -> Message? {
        let headerEnd = Array("\r\n\r\n".utf8)
        guard let end = buffer[start...].firstRange(of: headerEnd) else {
            compact()
            return nil
        }
        let header = String(decoding: buffer[start..<end.lowerBound], as: UTF8.self)
        var length: Int?
        for line in header.split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].trimming(" ").lowercased() == "content-length" {
                length = Int(parts[1].trimming(" "))
            }
        }
        guard let length, length >= 0, length <= Self.maximumBodySize else {
            start = end.upperBound
            return .unreadable("a header without a usable Content-Length")
        }
        guard buffer.count - end.upperBound >= length else { return nil }
        let body = buffer[end.upperBound..<(end.upperBound + length)]
        start = end.upperBound + length
        compact()
        do {
            return .message(try JSONValue.parse(body))
        } catch {
            return .unreadable(error.message)
        }
    }

    /// Drops consumed bytes once they are most of the buffer.
    private mutating func compact() {
        if start > 0 && start * 2 >= buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }
}

/// `Content-Length` framing of an outgoing JSON text.
package func framed(_ json: String) -> [UInt8] {
    let body = Array(json.utf8)
    return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
}
