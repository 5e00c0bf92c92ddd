
/// A JSON document read into values: what engine output and image configs are made of.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number as written (`1e9`, `30000000000`), so large integers keep every digit.
    case number(String)
    case string(String)
    case array([JSONValue])
    /// Members in document order; the last of repeated keys wins when looked up, as in Go.
    case object([(key: String, value: JSONValue)])

    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)), (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    /// The member named `key` of an object.
    package subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    package var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    package var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var array: [JSONValue]? {
        if case .array(let values) = self { return values }
        return nil
    }

    /// An object's members, in order.
    package var members: [(key: String, value: JSONValue)]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// A whole number (`30000000000`, `1e9`), when the number is one and fits.
    package var integer: Int64? {
        guard case .number(let text) = self else { return nil }
        if let value = Int64(text) { return value }
        guard let value = Double(text), value == value.rounded(), abs(value) < 9.2e18 else { return nil }
        return Int64(value)
    }

    /// An array of strings, when every element is one.
    package var strings: [String]? {
        guard case .array(let values) = self else { return nil }
        var result: [String] = []
        for value in values {
            guard case .string(let text) = value else { return nil }
            result.append(text)
        }
        return result
    }

    /// Parses a whole document; the error carries the byte offset where it stops making sense.
    package static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: Array(bytes))
        let value = try parser.parseDocument()
        return value
    }
}

/// Where and why a JSON document is malformed.
package struct JSONSyntaxError: Error, Sendable {
    /// Byte offset of the problem.
    package let offset: Int
    package let message: String
}

/// A recursive-descent reader of RFC 8259 JSON over bytes.
private struct JSONParser {
    let bytes: [UInt8]
    var position = 0
    var depth = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
        // A UTF-8 byte order mark is tolerated, as engines and editors sometimes write one.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
        let value = try parseValue()
        skipWhitespace()
        guard position == bytes.count else { throw failure("unexpected text after the JSON value") }
        return value
    }

    func failure(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }

    mutating func skipWhitespace() {
        while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end of JSON") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): return try parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"): return try parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"): return try parseLiteral("null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw failure("unexpected character")
        }
    }

    mutating func parseLiteral(_ word: String, _ value: JSONValue) throws(JSONSyntaxError) -> JSONValue {
        guard bytes[position...].starts(with: word.utf8) else { throw failure("unexpected character") }
        position += word.utf8.count
        return value
    }

    mutating func parseObject() throws(JSONSyntaxError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        try parseElements(closedBy: UInt8(ascii: "}")) { parser throws(JSONSyntaxError) in
            parser.skipWhitespace()
            guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: "\"") else {
                throw parser.failure("expected a member name")
            }
            let key = try parser.parseString()
            parser.skipWhitespace()
            guard parser.position < parser.bytes.count, parser.bytes[parser.position] == UInt8(ascii: ":") else { throw parser.failure("expected ':'") }
            parser.position += 1
            members.append((key, try parser.parseValue()))
        }
        return .object(members)
    }

    mutating func parseArray() throws(JSONSyntaxError) -> JSONValue {
        var values: [JSONValue] = []
        try parseElements(closedBy: UInt8(ascii: "]")) { parser throws(JSONSyntaxError) in values.append(try parser.parseValue()) }
        return .array(values)
    }

    /// From the opening bracket on: elements read by `element`, separated by commas, up to `close`.
    mutating func parseElements(closedBy close: UInt8, _ element: (inout JSONParser) throws(JSONSyntaxError) -> Void) throws(JSONSyntaxError) {
        depth += 1
        defer { depth -= 1 }
        // Deep nesting would exhaust the stack; no engine output comes near this.
        guard depth <= 512 else { throw failure("nested too deeply") }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == close {
            position += 1
            return
        }
        while true {
            try element(&self)
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end of JSON") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
                continue
            }
            guard bytes[position] == close else { throw failure("expected ',' or '\(Character(Unicode.Scalar(close)))'") }
            position += 1
            return
        }
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> JSONValue {
        let start = position
        func digits(_ parser: inout JSONParser) -> Int {
            let first = parser.position
            while parser.position < parser.bytes.count, (0x30...0x39).contains(parser.bytes[parser.position]) { parser.position += 1 }
            return parser.position - first
        }
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let integerStart = position
        guard digits(&self) > 0 else { throw failure("expected a digit") }
        guard bytes[integerStart] != UInt8(ascii: "0") || position - integerStart == 1 else {
            throw JSONSyntaxError(offset: integerStart, message: "a number cannot start with 0")
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard digits(&self) > 0 else { throw failure("expected a digit") }
        }
        if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            guard digits(&self) > 0 else { throw failure("expected a digit") }
        }
        return .number(String(decoding: bytes[start..<position], as: UTF8.self))
    }

    mutating func parseString() throws(JSONSyntaxError) -> String {
        position += 1
        var text: [UInt8] = []
        while true {
            guard position < bytes.count else { throw failure("unterminated string") }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "\""):
                position += 1
                return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                position += 1
                guard position < bytes.count else { throw failure("unterminated string") }
                let escape = bytes[position]
                position += 1
                if let byte = JSONEscape.byte(for: escape) {
                    text.append(byte)
                    continue
                }
                switch escape {
                case UInt8(ascii: "u"):
                    var scalar = try parseHexQuad()
                    if bytes[position...].starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "u")]),
                       let low = JSONEscape.hexQuad(bytes[(position + 2)...].prefix(4)), let combined = JSONEscape.scalar(high: scalar, low: low) {
                        scalar = combined
                        position += 6
                    }
                    // A lone surrogate cannot be UTF-8; it becomes U+FFFD as in Go's decoder.
                    text.append(contentsOf: String(Character(Unicode.Scalar(scalar) ?? "\u{FFFD}")).utf8)
                default:
                    position -= 1
                    throw failure("invalid escape")
                }
            case 0x00..<0x20:
                throw failure("control character in string")
            default:
                text.append(byte)
                position += 1
            }
        }
    }

    mutating func parseHexQuad() throws(JSONSyntaxError) -> UInt32 {
        guard let value = JSONEscape.hexQuad(bytes[position...].prefix(4)) else { throw failure("expected four hex digits") }
        position += 4
        return value
    }
}
