/// A small JSON writer for dockerkit's machine-readable outputs (keys keep the order they are written in).
package struct JSONWriter: Sendable {
    package private(set) var output = ""
    /// For each open container: whether a value was already written in it.
    private var hasValue: [Bool] = []
    private var afterKey = false

    package init() {}

    private mutating func prefix() {
        if afterKey {
            afterKey = false
            return
        }
        guard !hasValue.isEmpty else { return }
        if hasValue[hasValue.count - 1] { output += "," }
        hasValue[hasValue.count - 1] = true
    }

    package mutating func beginObject() { prefix(); output += "{"; hasValue.append(false) }
    package mutating func endObject() { output += "}"; hasValue.removeLast() }
    package mutating func beginArray() { prefix(); output += "["; hasValue.append(false) }
    package mutating func endArray() { output += "]"; hasValue.removeLast() }

    /// Writes an object key; the next value written belongs to it.
    package mutating func key(_ name: String) {
        prefix()
        appendQuoted(name)
        output += ":"
        afterKey = true
    }

    package mutating func string(_ value: String) { prefix(); appendQuoted(value) }

    /// `text` as a JSON string literal, appended without making the literal first when nothing needs escaping.
    private mutating func appendQuoted(_ text: String) {
        guard JSONWriter.needsEscaping(text) else {
            output += "\""
            output += text
            output += "\""
            return
        }
        output += JSONWriter.quoted(text)
    }

    private static func needsEscaping(_ text: String) -> Bool {
        text.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x7F })
    }
    package mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }
    package mutating func number(_ value: Int) { prefix(); output += String(value) }
    package mutating func optionalNumber(_ value: Int?) {
        if let value { number(value) } else { null() }
    }
    package mutating func optionalNumber(_ value: Double?) {
        if let value { number(value) } else { null() }
    }
    package mutating func number(_ value: Double) { prefix(); output += String(value) }
    package mutating func bool(_ value: Bool) { prefix(); output += value ? "true" : "false" }
    package mutating func null() { prefix(); output += "null" }
    package mutating func stringArray(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    /// Appends `text` as a JSON string literal to UTF-8 bytes (what ``quoted(_:)`` gives, without the String).
    package static func appendQuoted(_ text: String, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            output.append(UInt8(ascii: "\""))
            var plainStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0x7F {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart..<index]))
                plainStart = index + 1
                output.append(UInt8(ascii: "\\"))
                switch byte {
                case 0x22: output.append(UInt8(ascii: "\""))
                case 0x5C: output.append(UInt8(ascii: "\\"))
                case 0x0A: output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(UInt8(ascii: "r"))
                case 0x09: output.append(UInt8(ascii: "t"))
                default:
                    func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? UInt8(ascii: "0") + value : UInt8(ascii: "a") + value - 10 }
                    output += [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigit(byte >> 4), hexDigit(byte & 0xF)]
                }
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[plainStart...]))
            output.append(UInt8(ascii: "\""))
        }
    }

    /// Appends `value` in decimal to UTF-8 bytes, as ``number(_:)-(Int)`` writes it (a number's text is a small
    /// string, made without allocating).
    package static func appendNumber(_ value: Int, to output: inout [UInt8]) {
        output.append(contentsOf: String(value).utf8)
    }

    /// A JSON string literal.
    package static func quoted(_ text: String) -> String {
        // Most strings need no escaping: copy them whole.
        if !needsEscaping(text) {
            return "\"" + text + "\""
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 8)
        appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
