// Byte-level text helpers that reproduce the Go standard library behaviour BuildKit's parser relies on
// (utf8.DecodeRune, unicode.IsSpace, strings.TrimSpace), so that dockerkit splits text exactly where BuildKit does.

enum GoText {
    /// The replacement character Go substitutes for invalid UTF-8.
    static let replacementCharacter: UInt32 = 0xFFFD

    /// Decodes one Unicode scalar at `index` as Go's utf8.DecodeRune does: invalid input yields U+FFFD, width 1.
    @inline(__always)
    static func decodeRune(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (scalar: UInt32, width: Int) {
        let first = bytes[index]
        if first < 0x80 { return (UInt32(first), 1) }
        return decodeMultiByte(bytes, at: index, end: end)
    }

    static func decodeMultiByte(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int, end: Int) -> (scalar: UInt32, width: Int) {
        let first = bytes[index]
        let available = end - index
        func continuation(_ offset: Int) -> UInt32? {
            guard offset < available else { return nil }
            let byte = bytes[index + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        switch first {
        case 0xC2...0xDF:
            if let second = continuation(1) { return ((UInt32(first & 0x1F) << 6) | second, 2) }
        case 0xE0...0xEF:
            if let second = continuation(1), let third = continuation(2) {
                let scalar = (UInt32(first & 0x0F) << 12) | (second << 6) | third
                if scalar >= 0x800 && !(0xD800...0xDFFF).contains(scalar) { return (scalar, 3) }
            }
        case 0xF0...0xF4:
            if let second = continuation(1), let third = continuation(2), let fourth = continuation(3) {
                let scalar = (UInt32(first & 0x07) << 18) | (second << 12) | (third << 6) | fourth
                if scalar >= 0x10000 && scalar <= 0x10FFFF { return (scalar, 4) }
            }
        default:
            break
        }
        return (replacementCharacter, 1)
    }

    /// Go's unicode.IsSpace.
    @inline(__always)
    static func isSpace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// Go's unicode.IsSpace applied to a single byte taken as a rune (BuildKit does this in its flag and HEALTHCHECK scanners).
    @inline(__always)
    static func isSpaceByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        default: return false
        }
    }

    /// The whitespace class `[\t\v\f\r ]` of BuildKit's reWhitespace.
    @inline(__always)
    static func isASCIIBlank(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0B || byte == 0x0C || byte == 0x0D
    }

    /// Index of the first byte in `range` that does not start a Unicode space (bytes.TrimLeftFunc(unicode.IsSpace)).
    static func skipLeadingSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) { index += 1; continue }
            if byte < 0x80 { break }
            let (scalar, width) = decodeRune(bytes, at: index, end: range.upperBound)
            if !isSpace(scalar) { break }
            index += width
        }
        return index
    }

    /// End index after trimming trailing Unicode spaces (the right half of strings.TrimSpace).
    static func trimTrailingSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var end = range.upperBound
        while end > range.lowerBound {
            let last = bytes[end - 1]
            if last < 0x80 {
                if isSpace(UInt32(last)) { end -= 1; continue }
                break
            }
            // Step back to the start of a multi-byte sequence (at most 3 continuation bytes).
            var start = end - 1
            while start > range.lowerBound && end - start < 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
            let (scalar, width) = decodeRune(bytes, at: start, end: end)
            if start + width == end && isSpace(scalar) { end = start } else { break }
        }
        return end
    }

    /// strings.TrimSpace over a byte range.
    static func trimSpace(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        let start = skipLeadingSpace(bytes, range)
        let end = trimTrailingSpace(bytes, start..<range.upperBound)
        return start..<max(start, end)
    }

    /// Appends the UTF-8 encoding of a scalar (invalid scalars become U+FFFD, as Go's WriteRune does).
    @inline(__always)
    static func appendUTF8(_ scalar: UInt32, to output: inout [UInt8]) {
        var value = scalar
        if value > 0x10FFFF || (0xD800...0xDFFF).contains(value) { value = replacementCharacter }
        switch value {
        case 0..<0x80:
            output.append(UInt8(value))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | (value >> 6)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | (value >> 12)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        default:
            output.append(UInt8(0xF0 | (value >> 18)))
            output.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            output.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            output.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    /// A String from bytes; invalid UTF-8 is replaced by U+FFFD.
    @inline(__always)
    static func string(_ bytes: some Collection<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

}
