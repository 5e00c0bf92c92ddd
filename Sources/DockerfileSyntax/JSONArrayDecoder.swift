import Support

/// A string element of an exec-form (JSON) argument list, with the offsets of its literal in the input.
struct JSONStringElement: Sendable {
    var value: String
    /// Offsets of the literal, quotes included, relative to the decoded input.
    var offsets: Range<Int>
}

/// The outcome of reading an instruction's arguments as a JSON array, following Go's encoding/json as BuildKit uses it.
enum JSONArrayOutcome: Sendable {
    /// The text does not start with `[`.
    case notAnArray
    /// Invalid JSON: BuildKit falls back to the shell form.
    case invalid
    /// Valid JSON whose elements are not all strings: BuildKit rejects the instruction.
    case notAllStrings
    case strings([JSONStringElement])
}

/// Decodes `[ "a", "b" ]` exactly as BuildKit's parseJSON does (Go's json.Unmarshal into []any).
enum JSONArrayDecoder {
    private static let maxDepth = 10_000

    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> JSONArrayOutcome {
        let start = GoText.skipLeadingSpace(bytes, range)
        guard start < range.upperBound, bytes[start] == UInt8(ascii: "[") else { return .notAnArray }
        var reader = Reader(bytes: bytes, index: start, end: range.upperBound)
        var elements: [JSONStringElement] = []
        var allStrings = true
        // Top level: an array whose direct string elements we keep.
        reader.index += 1
        reader.skipWhitespace()
        if reader.peek == UInt8(ascii: "]") {
            reader.index += 1
        } else {
            while true {
                reader.skipWhitespace()
                if reader.peek == UInt8(ascii: "\"") {
                    let literalStart = reader.index
                    guard let value = reader.readString() else { return .invalid }
                    elements.append(JSONStringElement(value: value, offsets: (literalStart - start)..<(reader.index - start)))
                } else {
                    allStrings = false
                    guard reader.skipValue(depth: 1) else { return .invalid }
                }
                reader.skipWhitespace()
                guard let separator = reader.peek else { return .invalid }
                reader.index += 1
                if separator == UInt8(ascii: "]") { break }
                guard separator == UInt8(ascii: ",") else { return .invalid }
            }
        }
        reader.skipWhitespace()
        guard reader.index == reader.end else { return .invalid }
        // Offsets are reported relative to the range start, not the trimmed start.
        let shift = start - range.lowerBound
        if shift > 0 {
            elements = elements.map { JSONStringElement(value: $0.value, offsets: ($0.offsets.lowerBound + shift)..<($0.offsets.upperBound + shift)) }
        }
        return allStrings ? .strings(elements) : .notAllStrings
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index: Int
        let end: Int

        var peek: UInt8? { index < end ? bytes[index] : nil }

        mutating func skipWhitespace() {
            while index < end {
                let byte = bytes[index]
                guard byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D else { return }
                index += 1
            }
        }

        /// Reads a string literal at `index` and returns its decoded value, or nil when it is not valid JSON.
        mutating func readString() -> String? {
            index += 1
            // Most strings are printable ASCII without escapes: their value is their bytes, made into a string at once
            // rather than byte by byte. The rest go on from where that stops.
            var plainEnd = index
            while plainEnd < end {
                let byte = bytes[plainEnd]
                guard byte >= 0x20 && byte < 0x80 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") else { break }
                plainEnd += 1
            }
            if plainEnd < end && bytes[plainEnd] == UInt8(ascii: "\"") {
                let value = GoText.string(bytes[index..<plainEnd])
                index = plainEnd + 1
                return value
            }
            var output = Array(bytes[index..<plainEnd])
            index = plainEnd
            while index < end {
                let byte = bytes[index]
                switch byte {
                case UInt8(ascii: "\""):
                    index += 1
                    return GoText.string(output)
                case UInt8(ascii: "\\"):
                    guard index + 1 < end else { return nil }
                    let escaped = bytes[index + 1]
                    index += 2
                    if let simple = JSONEscape.byte(for: escaped) {
                        output.append(simple)
                        continue
                    }
                    switch escaped {
                    case UInt8(ascii: "u"):
                        guard var scalar = readHex4() else { return nil }
                        if (0xD800...0xDBFF).contains(scalar) {
                            // A high surrogate combines with a following low surrogate escape; alone it is U+FFFD.
                            if index + 1 < end, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                                let saved = index
                                index += 2
                                if let low = readHex4(), let combined = JSONEscape.scalar(high: scalar, low: low) {
                                    scalar = combined
                                } else {
                                    index = saved
                                    scalar = GoText.replacementCharacter
                                }
                            } else {
                                scalar = GoText.replacementCharacter
                            }
                        } else if (0xDC00...0xDFFF).contains(scalar) {
                            scalar = GoText.replacementCharacter
                        }
                        GoText.appendUTF8(scalar, to: &output)
                    default:
                        return nil
                    }
                case 0x00..<0x20:
                    return nil
                default:
                    if byte < 0x80 {
                        output.append(byte)
                        index += 1
                    } else {
                        let (scalar, width) = GoText.decodeRune(bytes, at: index, end: end)
                        GoText.appendUTF8(scalar, to: &output)
                        index += width
                    }
                }
            }
            return nil
        }

        mutating func readHex4() -> UInt32? {
            guard index + 4 <= end, let value = JSONEscape.hexQuad(bytes[index..<index + 4]) else { return nil }
            index += 4
            return value
        }

        /// Skips any JSON value iteratively (no recursion, so hostile nesting cannot exhaust the stack).
        mutating func skipValue(depth: Int) -> Bool {
            // Each open container on the stack: true for an object, false for an array.
            var stack: [Bool] = []
            var expectValue = true
            while true {
                skipWhitespace()
                if expectValue {
                    guard let byte = peek else { return false }
                    switch byte {
                    case UInt8(ascii: "{"), UInt8(ascii: "["):
                        let isObject = byte == UInt8(ascii: "{")
                        index += 1
                        stack.append(isObject)
                        guard depth + stack.count <= JSONArrayDecoder.maxDepth else { return false }
                        skipWhitespace()
                        if peek == (isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                            index += 1
                            stack.removeLast()
                            expectValue = false
                        } else if isObject {
                            guard peek == UInt8(ascii: "\""), readString() != nil else { return false }
                            skipWhitespace()
                            guard peek == UInt8(ascii: ":") else { return false }
                            index += 1
                        }
                        continue
                    case UInt8(ascii: "\""):
                        guard readString() != nil else { return false }
                    case UInt8(ascii: "t"):
                        guard matchLiteral("true") else { return false }
                    case UInt8(ascii: "f"):
                        guard matchLiteral("false") else { return false }
                    case UInt8(ascii: "n"):
                        guard matchLiteral("null") else { return false }
                    default:
                        guard skipNumber() else { return false }
                    }
                    expectValue = false
                }
                guard let container = stack.last else { return true }
                skipWhitespace()
                guard let byte = peek else { return false }
                index += 1
                if byte == UInt8(ascii: ",") {
                    if container {
                        skipWhitespace()
                        guard peek == UInt8(ascii: "\""), readString() != nil else { return false }
                        skipWhitespace()
                        guard peek == UInt8(ascii: ":") else { return false }
                        index += 1
                    }
                    expectValue = true
                } else if byte == (container ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                    stack.removeLast()
                } else {
                    return false
                }
            }
        }

        mutating func matchLiteral(_ literal: StaticString) -> Bool {
            let count = literal.utf8CodeUnitCount
            guard index + count <= end else { return false }
            let pointer = literal.utf8Start
            for offset in 0..<count where bytes[index + offset] != pointer[offset] { return false }
            index += count
            return true
        }

        mutating func skipNumber() -> Bool {
            func isDigit(_ byte: UInt8?) -> Bool { byte.map { $0 >= 0x30 && $0 <= 0x39 } ?? false }
            if peek == UInt8(ascii: "-") { index += 1 }
            if peek == UInt8(ascii: "0") {
                index += 1
            } else if isDigit(peek) {
                while isDigit(peek) { index += 1 }
            } else {
                return false
            }
            if peek == UInt8(ascii: ".") {
                index += 1
                guard isDigit(peek) else { return false }
                while isDigit(peek) { index += 1 }
            }
            if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
                index += 1
                if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
                guard isDigit(peek) else { return false }
                while isDigit(peek) { index += 1 }
            }
            return true
        }
    }
}
