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

    /// A comment line; control characters are shown escaped so the comment stays one line.
    static func comment(_ text: String) -> String {
        var line = "#"
        if !text.isEmpty { line += " " }
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                line += scalar == "\n" ? "\\n" : (scalar == "\t" ? "\t" : "\\x" + String(scalar.value, radix: 16))
            } else {
                line.unicodeScalars.append(scalar)
            }
        }
        return line
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
