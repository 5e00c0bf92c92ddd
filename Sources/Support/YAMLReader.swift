/// A value of the YAML subset config files use: mappings, sequences, scalars (plain or quoted), comments.
public struct YAMLValue: Sendable, Equatable {
    public indirect enum Content: Sendable, Equatable {
        case null
        case scalar(String)
        case list([YAMLValue])
        case map([(String, YAMLValue)])

        public static func == (lhs: Content, rhs: Content) -> Bool {
            switch (lhs, rhs) {
            case (.null, .null): return true
            case (.scalar(let a), .scalar(let b)): return a == b
            case (.list(let a), .list(let b)): return a == b
            case (.map(let a), .map(let b)): return a.count == b.count && zip(a, b).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
            default: return false
            }
        }
    }

    public let value: Content
    /// The 1-based line the value starts on.
    public let line: Int
    /// The 1-based column (in characters) the value starts at.
    public let column: Int

    public init(value: Content, line: Int, column: Int = 1) {
        self.value = value
        self.line = line
        self.column = column
    }

    /// An error about this value, pointing at where it starts.
    public func error(_ path: String, _ message: String) -> ConfigurationError {
        ConfigurationError(path: path, line: line, column: column, message: message)
    }

    package func string(path: String, key: String) throws(ConfigurationError) -> String {
        guard case .scalar(let text) = value else {
            throw error(path, "\(key): expected a single value")
        }
        return text
    }

    package func bool(path: String, key: String) throws(ConfigurationError) -> Bool {
        switch try string(path: path, key: key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(path, "\(key): expected true or false")
        }
    }

    package func stringList(path: String, key: String) throws(ConfigurationError) -> [String] {
        switch value {
        case .null: return []
        case .scalar(let text): return [text]
        case .list(let items): return try items.map { item throws(ConfigurationError) in try item.string(path: path, key: key) }
        case .map: throw error(path, "\(key): expected a list")
        }
    }
}

/// Reads the YAML subset used by `.hadolint.yaml`, `.dockerkit.yaml` and `lab.yaml`: block mappings and sequences
/// (a sequence item may start a mapping: `- name: x`), one-line flow collections (`[a, b]`, `{a: 1, b: [2]}`),
/// plain and quoted scalars, comments.
public enum YAMLReader {
    private struct Line {
        let number: Int
        let indent: Int
        let text: String
    }

    public static func read(_ text: String, path: String) throws(ConfigurationError) -> YAMLValue {
        var lines: [Line] = []
        // A byte order mark is not part of the first key. Lines are split on "\n" and "\r\n" (one Character in Swift).
        let body = text.hasPrefix("\u{FEFF}") ? text.dropFirst() : Substring(text)
        for (index, raw) in body.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }).enumerated() {
            var content = String(raw)
            if content.hasSuffix("\r") { content.removeLast() }
            content = stripComment(content)
            let indent = content.prefix { $0 == " " }.count
            if content.contains("\t") && content.prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                throw ConfigurationError(path: path, line: index + 1, message: "tabs are not allowed for indentation")
            }
            let trimmed = content.trimming(" ")
            if trimmed.isEmpty || trimmed == "---" { continue }
            lines.append(Line(number: index + 1, indent: indent, text: trimmed))
        }
        var position = 0
        guard !lines.isEmpty else { return YAMLValue(value: .null, line: 1) }
        let value = try parseBlock(&lines, &position, indent: lines[0].indent, depth: 0, path: path)
        if position < lines.count {
            throw ConfigurationError(path: path, line: lines[position].number, column: lines[position].indent + 1, message: "unexpected indentation")
        }
        return value
    }

    /// Nesting deeper than this is refused rather than read (no file drives unbounded recursion).
    static let maximumDepth = 64

    private static func parseBlock(_ lines: inout [Line], _ position: inout Int, indent: Int, depth: Int, path: String) throws(ConfigurationError) -> YAMLValue {
        let first = lines[position]
        guard depth < maximumDepth else {
            throw ConfigurationError(path: path, line: first.number, column: first.indent + 1, message: "nested more than \(maximumDepth) levels deep")
        }
        if isSequenceItem(first.text) {
            var items: [YAMLValue] = []
            while position < lines.count, lines[position].indent == indent, isSequenceItem(lines[position].text) {
                let line = lines[position]
                let afterDash = line.text.dropFirst(1)
                let rest = String(afterDash).trimming(" ")
                let restIndent = indent + 1 + afterDash.prefix { $0 == " " }.count
                if rest.isEmpty {
                    position += 1
                    if position < lines.count && lines[position].indent > indent {
                        items.append(try parseBlock(&lines, &position, indent: lines[position].indent, depth: depth + 1, path: path))
                    } else {
                        items.append(YAMLValue(value: .null, line: line.number, column: indent + 1))
                    }
                } else if startsMapping(rest) {
                    // `- key: value` starts a mapping whose other keys line up under `key`.
                    lines[position] = Line(number: line.number, indent: restIndent, text: rest)
                    items.append(try parseBlock(&lines, &position, indent: restIndent, depth: depth + 1, path: path))
                } else {
                    position += 1
                    items.append(try scalarOrFlow(rest, line: line.number, column: restIndent + 1, depth: depth, path: path))
                }
            }
            return YAMLValue(value: .list(items), line: first.number, column: first.indent + 1)
        }
        var entries: [(String, YAMLValue)] = []
        // Keys seen, so that a mapping of many keys is read in linear time.
        var keys: Set<String> = []
        while position < lines.count, lines[position].indent == indent {
            let line = lines[position]
            guard let colon = keySeparator(line.text) else {
                throw ConfigurationError(path: path, line: line.number, column: line.indent + 1, message: "expected 'key: value'")
            }
            let key = unquote(String(line.text[..<colon]).trimming(" "))
            guard keys.insert(key).inserted else {
                throw ConfigurationError(path: path, line: line.number, column: line.indent + 1, message: "'\(key)' is given twice")
            }
            let afterColon = line.text[line.text.index(after: colon)...]
            let rest = String(afterColon).trimming(" ")
            let restColumn = line.indent + line.text.distance(from: line.text.startIndex, to: colon) + 2 + afterColon.prefix { $0 == " " }.count
            position += 1
            if rest.isEmpty {
                if position < lines.count && (lines[position].indent > indent
                    || (lines[position].indent == indent && isSequenceItem(lines[position].text))) {
                    entries.append((key, try parseBlock(&lines, &position, indent: lines[position].indent, depth: depth + 1, path: path)))
                } else {
                    entries.append((key, YAMLValue(value: .null, line: line.number, column: restColumn)))
                }
            } else {
                entries.append((key, try scalarOrFlow(rest, line: line.number, column: restColumn, depth: depth, path: path)))
            }
        }
        return YAMLValue(value: .map(entries), line: first.number, column: first.indent + 1)
    }

    private static func isSequenceItem(_ text: String) -> Bool { text.hasPrefix("- ") || text == "-" }

    /// Whether a sequence item's text is `key: value` (not a quoted or flow scalar that merely holds `: `).
    private static func startsMapping(_ text: String) -> Bool {
        guard let first = text.first, first != "[", first != "{" else { return false }
        return keySeparator(text) != nil
    }

    /// The `:` that ends a key (outside quotes, followed by a space or the end).
    private static func keySeparator(_ text: String) -> String.Index? {
        firstIndexOutsideQuotes(in: text) { index in
            guard text[index] == ":" else { return false }
            let next = text.index(after: index)
            return next == text.endIndex || text[next] == " "
        }
    }

    /// The first index outside single or double quotes that `matches`.
    private static func firstIndexOutsideQuotes(in text: String, where matches: (String.Index) -> Bool) -> String.Index? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if matches(index) {
                return index
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func scalarOrFlow(_ text: String, line: Int, column: Int, depth: Int, path: String) throws(ConfigurationError) -> YAMLValue {
        if let first = text.first, first == "&" || first == "*" || first == "!" {
            let what = first == "&" ? "anchors ('&name')" : (first == "*" ? "aliases ('*name')" : "tags ('!tag')")
            throw ConfigurationError(path: path, line: line, column: column, message: "\(what) are not supported; write the value out")
        }
        if text.hasPrefix("[") || text.hasPrefix("{") {
            var reader = FlowReader(characters: Array(text), line: line, column: column, path: path)
            let value = try reader.value(depth: depth + 1)
            reader.skipBlanks()
            guard reader.index == reader.characters.count else {
                throw reader.failure("unexpected '\(reader.characters[reader.index])' after the closing bracket")
            }
            return value
        }
        if (text.hasPrefix("\"") && !(text.count >= 2 && text.hasSuffix("\"")))
            || (text.hasPrefix("'") && !(text.count >= 2 && text.hasSuffix("'"))) {
            throw ConfigurationError(path: path, line: line, column: column, message: "unterminated quoted string")
        }
        if text == "~" || text == "null" { return YAMLValue(value: .null, line: line, column: column) }
        return YAMLValue(value: .scalar(unquote(text)), line: line, column: column)
    }

    /// Reads one line's flow collection: `[a, "b", {c: d}]`, `{name: x, limits: {memory: 1g}}`.
    private struct FlowReader {
        let characters: [Character]
        let line: Int
        let column: Int
        let path: String
        var index = 0

        func failure(_ message: String) -> ConfigurationError {
            ConfigurationError(path: path, line: line, column: column + index, message: message)
        }

        mutating func skipBlanks() {
            while index < characters.count, characters[index] == " " { index += 1 }
        }

        mutating func value(depth: Int) throws(ConfigurationError) -> YAMLValue {
            guard depth < YAMLReader.maximumDepth else { throw failure("nested more than \(YAMLReader.maximumDepth) levels deep") }
            skipBlanks()
            let start = column + index
            guard index < characters.count else { throw failure("a value is missing") }
            switch characters[index] {
            case "[":
                index += 1
                var items: [YAMLValue] = []
                try elements(closedBy: "]") { (reader: inout FlowReader) throws(ConfigurationError) in
                    items.append(try reader.value(depth: depth + 1))
                }
                return YAMLValue(value: .list(items), line: line, column: start)
            case "{":
                index += 1
                var entries: [(String, YAMLValue)] = []
                var keys: Set<String> = []
                try elements(closedBy: "}") { (reader: inout FlowReader) throws(ConfigurationError) in
                    let keyStart = reader.index
                    let key = try reader.scalar()
                    guard case .scalar(let name) = key.value else { throw reader.failure("expected a key") }
                    reader.skipBlanks()
                    guard reader.index < reader.characters.count, reader.characters[reader.index] == ":" else {
                        throw reader.failure("expected ':' after '\(name)'")
                    }
                    if !keys.insert(name).inserted {
                        reader.index = keyStart
                        throw reader.failure("'\(name)' is given twice")
                    }
                    reader.index += 1
                    reader.skipBlanks()
                    if reader.index < reader.characters.count, reader.characters[reader.index] == "," || reader.characters[reader.index] == "}" {
                        entries.append((name, YAMLValue(value: .null, line: reader.line, column: reader.column + reader.index)))
                    } else {
                        entries.append((name, try reader.value(depth: depth + 1)))
                    }
                }
                return YAMLValue(value: .map(entries), line: line, column: start)
            default:
                return try scalar()
            }
        }

        /// Elements separated by commas up to `close`; a trailing comma is allowed, as YAML allows it.
        mutating func elements(closedBy close: Character, _ element: (inout FlowReader) throws(ConfigurationError) -> Void) throws(ConfigurationError) {
            while true {
                skipBlanks()
                guard index < characters.count else { throw failure("'\(close == "]" ? "[" : "{")' is not closed on this line") }
                if characters[index] == close { index += 1; return }
                try element(&self)
                skipBlanks()
                guard index < characters.count else { throw failure("'\(close == "]" ? "[" : "{")' is not closed on this line") }
                if characters[index] == "," { index += 1; continue }
                if characters[index] == close { index += 1; return }
                throw failure("expected ',' or '\(close)'")
            }
        }

        /// A plain or quoted scalar, ending at `,`, `]`, `}` or (for a key) `: `.
        mutating func scalar() throws(ConfigurationError) -> YAMLValue {
            skipBlanks()
            let start = column + index
            guard index < characters.count else { throw failure("a value is missing") }
            let first = characters[index]
            if first == "\"" || first == "'" {
                var text = ""
                index += 1
                while index < characters.count {
                    let character = characters[index]
                    if character == first {
                        if first == "'", index + 1 < characters.count, characters[index + 1] == "'" {
                            text.append("'")
                            index += 2
                            continue
                        }
                        index += 1
                        return YAMLValue(value: .scalar(text), line: line, column: start)
                    }
                    if first == "\"", character == "\\", index + 1 < characters.count {
                        text.append(characters[index + 1])
                        index += 2
                        continue
                    }
                    text.append(character)
                    index += 1
                }
                throw ConfigurationError(path: path, line: line, column: start, message: "unterminated quoted string")
            }
            if first == "&" || first == "*" || first == "!" {
                throw failure("anchors, aliases and tags are not supported; write the value out")
            }
            var text = ""
            while index < characters.count {
                let character = characters[index]
                if character == "," || character == "]" || character == "}" { break }
                if character == ":", index + 1 == characters.count || characters[index + 1] == " " || characters[index + 1] == "," { break }
                text.append(character)
                index += 1
            }
            let trimmed = text.trimming(" ")
            if trimmed == "~" || trimmed == "null" || trimmed.isEmpty { return YAMLValue(value: .null, line: line, column: start) }
            return YAMLValue(value: .scalar(trimmed), line: line, column: start)
        }
    }

    private static func unquote(_ text: String) -> String {
        if text.count >= 2, let first = text.first, first == text.last, first == "\"" || first == "'" {
            let inner = String(text.dropFirst().dropLast())
            return first == "'" ? inner.replacingAll("''", with: "'") : inner.replacingAll("\\\"", with: "\"")
        }
        return text
    }

    /// Removes a `#` comment that starts a line or follows a space, outside quotes.
    private static func stripComment(_ line: String) -> String {
        let start = firstIndexOutsideQuotes(in: line) { index in
            line[index] == "#" && (index == line.startIndex || line[line.index(before: index)] == " " || line[line.index(before: index)] == "\t")
        }
        return start.map { String(line[..<$0]) } ?? line
    }
}
