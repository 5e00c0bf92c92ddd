// The one set of trimming helpers the modules share. "Blanks" are spaces and tabs, as Dockerfiles and YAML mean
// them; "whitespace" is Unicode's, line breaks included.
extension StringProtocol {
    /// Without leading and trailing white space other than line breaks, as Foundation's `.whitespaces` trims.
    package func trimmingSpaces() -> String { trimmed { $0.isWhitespace && !$0.isNewline } }

    /// Without leading and trailing white space, line breaks included.
    package func trimmingWhitespace() -> String { trimmed(\.isWhitespace) }

    /// Without leading and trailing spaces and tabs.
    package func trimmingBlanks() -> String { trimmed { $0 == " " || $0 == "\t" } }

    /// Without leading and trailing `character`.
    package func trimming(_ character: Character) -> String { trimmed { $0 == character } }

    /// Without leading spaces and tabs.
    package func trimmingLeadingBlanks() -> Substring {
        Substring(self).drop { $0 == " " || $0 == "\t" }
    }

    /// Without trailing spaces and tabs.
    package func trimmingTrailingBlanks() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }

    /// Without trailing spaces, tabs and carriage returns (what BuildKit strips at the end of a line).
    package func trimmingLineEnd() -> String {
        var text = Substring(self)
        while let last = text.last, last == " " || last == "\t" || last == "\r" { text = text.dropLast() }
        return String(text)
    }

    /// Without the trailing line break (`\n`, `\r\n` or `\r`).
    package func trimmingLineBreak() -> String {
        var text = Substring(self)
        while let last = text.last, last == "\n" || last == "\r" || last == "\r\n" { text = text.dropLast() }
        return String(text)
    }

    /// `suffix` replaced by `replacement` when the text ends with it.
    package func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : String(self)
    }

    /// Every occurrence of `target` replaced by `replacement`.
    package func replacingAll(_ target: String, with replacement: String) -> String {
        let text = String(self)
        // A byte search: the generic string search of the standard library costs thousands of instructions a call,
        // and reporters call this for every line they print.
        guard !target.isEmpty, var found = text.utf8Offset(of: target) else { return text }
        let bytes = Array(text.utf8)
        let replacementBytes = Array(replacement.utf8)
        let targetLength = target.utf8.count
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var start = 0
        while true {
            result.append(contentsOf: bytes[start..<found])
            result.append(contentsOf: replacementBytes)
            start = found + targetLength
            guard let next = text.utf8Offset(of: target, from: start) else { break }
            found = next
        }
        result.append(contentsOf: bytes[start...])
        return String(decoding: result, as: UTF8.self)
    }

    private func trimmed(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }

    /// The text made harmless for a terminal and for one line: control characters (C0, DEL, C1), which could set a
    /// terminal's title, move its cursor or start a new line, are shown as escapes (`\n`, `\x1b`); tabs stay when
    /// `keepingTabs`. Bytes that were not UTF-8 (see `InvalidUTF8`) are shown as escapes too (`\xff`).
    package func escapingControlCharacters(keepingTabs: Bool = false) -> String {
        func isControl(_ scalar: Unicode.Scalar) -> Bool {
            if scalar == "\t" { return !keepingTabs }
            return scalar.value < 0x20 || (scalar.value >= 0x7F && scalar.value <= 0x9F)
        }
        // A `String`, not `Self`: its views are concrete types, where a generic view's first use looks up protocol
        // conformances at run time, which costs a one-file lint more than its rules.
        var text = String(self)
        // Bytes first, in one buffer: C0 and DEL are single bytes, every C1 control starts with 0xC2 in UTF-8, and
        // every mark of a byte that was not UTF-8 with 0xF4; most text has none.
        guard text.withUTF8({ $0.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 || $0 == 0xF4 } }),
              text.unicodeScalars.contains(where: { isControl($0) || InvalidUTF8.byte($0) != nil }) else {
            return text
        }
        func escaped(_ value: UInt32) -> String {
            let hex = String(value, radix: 16)
            return "\\x" + (hex.count < 2 ? "0" + hex : hex)
        }
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" {
                result += "\\n"
            } else if let byte = InvalidUTF8.byte(scalar) {
                result += escaped(UInt32(byte))
            } else if isControl(scalar) {
                result += escaped(scalar.value)
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

/// A span of time as people read it: `3d 4h`, `5h 12m`, `4m 2s`, `42s`.
package func describeDuration(_ seconds: Int) -> String {
    if seconds >= 86400 { return "\(seconds / 86400)d \(seconds % 86400 / 3600)h" }
    if seconds >= 3600 { return "\(seconds / 3600)h \(seconds % 3600 / 60)m" }
    if seconds >= 60 { return "\(seconds / 60)m \(seconds % 60)s" }
    return "\(seconds)s"
}

/// `limit` as people write it: 64 MiB, 1 GiB, or bytes.
package func describeByteSize(_ size: Int) -> String {
    if size % (1 << 30) == 0 { return "\(size >> 30) GiB" }
    if size % (1 << 20) == 0 { return "\(size >> 20) MiB" }
    // Sizes read off a disk or a process are rarely whole: one decimal of the largest unit that fits.
    for (shift, unit) in [(40, "TiB"), (30, "GiB"), (20, "MiB"), (10, "KiB")] where size >= 1 << shift {
        let tenths = (size * 10 + (1 << (shift - 1))) >> shift
        return "\(tenths / 10).\(tenths % 10) \(unit)"
    }
    return "\(size) bytes"
}

/// `text` cut or padded with spaces to `width` characters, for table columns.
package func padded(_ text: String, to width: Int) -> String {
    text.count >= width ? String(text.prefix(width)) : text + String(repeating: " ", count: width - text.count)
}
