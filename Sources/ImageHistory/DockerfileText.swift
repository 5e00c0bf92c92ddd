import Support
import DockerfileSyntax

/// Writes values as Dockerfile text that BuildKit reads back to exactly those values, and checks each
/// instruction by parsing it, so metadata can never become an extra instruction or change another's meaning.
enum DockerfileText {
    /// A word for ENV/LABEL/ARG values and keys that BuildKit reads back as exactly `value`: bare when safe, else in
    /// single quotes (taken literally), else in double quotes with only `"`, `$` and a backslash that would
    /// escape them escaped. nil when no Dockerfile text can hold it (a line break or another control character).
    static func word(_ value: String) -> String? {
        guard !value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) else { return nil }
        if !value.isEmpty && value.utf8.allSatisfy(isBareByte) { return value }
        if !value.contains("'") { return "'" + value + "'" }
        var quoted = "\""
        let scalars = Array(value.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            if scalar == "\"" || scalar == "$" {
                quoted.append("\\")
            } else if scalar == "\\" && (next == nil || next == "\"" || next == "$" || next == "\\") {
                quoted.append("\\")
            }
            quoted.unicodeScalars.append(scalar)
        }
        return quoted + "\""
    }

    /// A JSON array of strings, as exec forms are written.
    static func jsonArray(_ values: [String]) -> String {
        "[" + values.map(JSONWriter.quoted).joined(separator: ", ") + "]"
    }

    /// Text for a plain argument (WORKDIR, USER, STOPSIGNAL, …): `$` escaped so a rebuild does not expand it.
    static func plain(_ value: String) -> String? {
        guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else { return nil }
        var text = ""
        for scalar in value.unicodeScalars {
            if scalar == "$" || scalar == "\\" { text.append("\\") }
            text.unicodeScalars.append(scalar)
        }
        return text
    }

    /// A comment line; control characters are shown escaped so the comment stays one line, and text past
    /// `commentLimit` bytes is cut with a marker (BuildKit refuses lines of 64 KiB and more).
    static func comment(_ text: String) -> String {
        var shown = text.escapingControlCharacters(keepingTabs: true)
        if shown.utf8.count > commentLimit {
            let kept = shown.utf8.prefix(commentLimit)
            let whole = String(decoding: kept, as: UTF8.self)
            let cut = whole.hasSuffix("\u{FFFD}") ? String(whole.dropLast()) : whole
            shown = cut + " … (\(shown.utf8.count - cut.utf8.count) more bytes cut)"
        }
        return shown.isEmpty ? "#" : "# " + shown
    }

    /// Longest comment text written, in bytes.
    static let commentLimit = 4096

    /// Longest physical line written, in bytes: BuildKit's line reader stops at 64 KiB.
    static let lineLimit = 16 * 1024


    /// An instruction line longer than `lineLimit` split into continuation lines. BuildKit joins continuation
    /// lines by dropping the escape character and the line break and nothing else, so the instruction reads the
    /// same; a piece never starts with blank space or `#` (which would make it an empty or comment line).
    static func splittingLongLine(_ line: String) -> String {
        guard line.utf8.count > lineLimit else { return line }
        var result = ""
        var piece = ""
        var pieceBytes = 0
        for scalar in line.unicodeScalars {
            let length = String(scalar).utf8.count
            if pieceBytes + length > lineLimit - 1 && scalar != " " && scalar != "\t" && scalar != "#" {
                result += piece + "\\\n"
                piece = ""
                pieceBytes = 0
            }
            piece.unicodeScalars.append(scalar)
            pieceBytes += length
        }
        return result + piece
    }

    /// Whether `text` is exactly one instruction of `kind` (no line breaks hiding a second one).
    static func isSingleInstruction(_ text: String, kind: InstructionKind) -> Bool {
        guard !text.contains("\n"), !text.contains("\r"), !endsWithContinuation(text) else { return false }
        let tree = DockerfileParser.parse("FROM scratch\n" + text + "\n")
        let instructions = tree.instructions
        return tree.errors.isEmpty && instructions.count == 2 && instructions[1].kind == kind
    }

    /// The values BuildKit reads from `text` (key, value, key, value, … after unquoting) when it is exactly one
    /// ENV or LABEL instruction of `kind`; nil otherwise.
    static func keyValues(of text: String, kind: InstructionKind) -> [String]? {
        guard !text.contains("\n"), !text.contains("\r"), !endsWithContinuation(text) else { return nil }
        let tree = DockerfileParser.parse("FROM scratch\n" + text + "\n")
        guard tree.errors.isEmpty, tree.instructions.count == 2, tree.instructions[1].kind == kind else { return nil }
        let expander = ShellWordExpander(escapeToken: "\\")
        var values: [String] = []
        for token in tree.instructions[1].values {
            guard let expanded = try? expander.expand(token.text, environment: [:]) else { return nil }
            values.append(expanded.value)
        }
        return values
    }

    /// A line ending in the escape character (spaces after it allowed) would swallow the next line.
    static func endsWithContinuation(_ line: String) -> Bool {
        var bytes = Array(line.utf8)[...]
        while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
        return bytes.last == UInt8(ascii: "\\")
    }

    /// Words with runs of white space collapsed, to compare commands that differ only in layout.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    private static func isBareByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            || "-_./:@%+,".utf8.contains(byte)
    }
}
