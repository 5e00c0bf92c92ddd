/// Bytes that are not UTF-8, kept through decoding: each becomes a scalar of its own (U+10FF80…U+10FFFF, the end of
/// a private-use plane) instead of U+FFFD, so the text can later show the byte itself (`\xff`) and callers can tell
/// such text from text that only looks like it.
package enum InvalidUTF8 {
    private static let markBase: UInt32 = 0x10FF00

    /// `bytes` with every byte that is not part of a UTF-8 sequence replaced by its mark. Bytes that already hold a
    /// mark scalar are returned as they are: marks are then not told apart, and decoding replaces bad bytes as usual.
    package static func markingInvalidBytes(_ bytes: [UInt8]) -> [UInt8] {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var result: [UInt8] = []
        var offset = 0
        var sawInvalid = false
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                if isMark(Unicode.UTF8.decode(encoded)) { return bytes }
                result.append(contentsOf: encoded)
                offset += encoded.count
            case .error(let length):
                sawInvalid = true
                for byte in bytes[offset..<(offset + length)] { result.append(contentsOf: String(mark(byte)).utf8) }
                offset += length
            case .emptyInput:
                return sawInvalid ? result : bytes
            }
        }
    }

    /// Whether the text holds a byte that was not UTF-8.
    package static func containsMark(_ text: String) -> Bool {
        text.utf8.contains(0xF4) && text.unicodeScalars.contains(where: isMark)
    }

    /// The byte a mark stands for.
    package static func byte(_ scalar: Unicode.Scalar) -> UInt8? {
        isMark(scalar) ? UInt8(scalar.value - markBase) : nil
    }

    private static func isMark(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= markBase + 0x80 && scalar.value <= markBase + 0xFF
    }

    private static func mark(_ byte: UInt8) -> Unicode.Scalar {
        // A byte that starts no sequence is 0x80 or above, so the mark stays within the plane.
        Unicode.Scalar(markBase + UInt32(max(byte, 0x80))) ?? "\u{FFFD}"
    }
}
