/// Quoting as other programs write it, in one place: Go's `strconv.Quote` (BuildKit's `%q`), Go's time package,
/// XML text for report formats, and POSIX shell words.
package enum Quoting {
    /// `text` as one POSIX shell word in single quotes (a quote inside becomes `'\''`).
    package static func shell(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// `text` as a shell word: as it is when it needs no quoting, else in single quotes.
    package static func shellWord(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || Array("-_./:=@%+,".utf8).contains(byte)
        }
        return plain ? text : shell(text)
    }

    /// Go's `strconv.Quote` (`%q`): printable characters as they are, `\n`-style escapes, other characters as
    /// `\xHH`, `\uHHHH` or `\UHHHHHHHH`.
    package static func go(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\u{07}": output += "\\a"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{0B}": output += "\\v"
            default:
                if isGoPrintable(scalar) {
                    output.unicodeScalars.append(scalar)
                } else if scalar.value < 0x80 {
                    output += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    output += "\\u" + hex(scalar.value, width: 4)
                } else {
                    output += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return output + "\""
    }

    /// The quoting of Go's time package (its duration errors): printable ASCII as it is, every other byte as `\xHH`.
    package static func goTime(_ text: String) -> String {
        var output = "\""
        for byte in text.utf8 {
            if byte < 0x20 || byte >= 0x7F {
                output += "\\x" + hex(UInt32(byte), width: 2)
            } else {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { output += "\\" }
                output.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return output + "\""
    }

    /// How XML text is made safe: characters XML forbids dropped (dockerkit's reports), or shown as `\xHH` as hadolint
    /// shows them.
    package enum XMLControls: Sendable {
        case drop, escape
    }

    /// Text for an XML attribute or element: `& < > "` (and `'` when `apostrophe`) as entities.
    package static func xml(_ text: String, controls: XMLControls = .drop, apostrophe: Bool = true, greaterThan: Bool = true, quote: Bool = true) -> String {
        let source = controls == .escape ? text.escapingControlCharacters() : text
        var output = ""
        for scalar in source.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">" where greaterThan: output += "&gt;"
            case "\"" where quote: output += "&quot;"
            case "'" where apostrophe: output += "&apos;"
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" && scalar != "\r" { continue }
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// An approximation of Go's strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned, .lineSeparator, .paragraphSeparator, .spaceSeparator:
            return false
        default:
            return true
        }
    }
}
