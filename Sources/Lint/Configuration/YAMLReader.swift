import Support

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

    func string(path: String, key: String) throws(ConfigurationError) -> String {
        guard case .scalar(let text) = value else {
            throw ConfigurationError(path: path, line: line, message: "\(key): expected a single value")
        }
        return text
    }

    func bool(path: String, key: String) throws(ConfigurationError) -> Bool {
        switch try string(path: path, key: key).lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw ConfigurationError(path: path, line: line, message: "\(key): expected true or false")
        }
    }

    func stringList(path: String, key: String) throws(ConfigurationError) -> [String] {
        switch value {
        case .null: return []
        case .scalar(let text): return [text]
        case .list(let items): return try items.map { item throws(ConfigurationError) in try item.string(path: path, key: key) }
        case .map: throw ConfigurationError(path: path, line: line, message: "\(key): expected a list")
        }
    }
}

/// Reads the YAML subset used by `.hadolint.yaml` and `.dockerkit.yaml`.
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
        let value = try parseBlock(lines, &position, indent: lines[0].indent, path: path)
        if position < lines.count {
            throw ConfigurationError(path: path, line: lines[position].number, message: "unexpected indentation")
        }
        return value
    }

    private static func parseBlock(_ lines: [Line], _ position: inout Int, indent: Int, path: String) throws(ConfigurationError) -> YAMLValue {
        let first = lines[position]
        if first.text.hasPrefix("- ") || first.text == "-" {
            var items: [YAMLValue] = []
            while position < lines.count, lines[position].indent == indent,
                  lines[position].text.hasPrefix("- ") || lines[position].text == "-" {
                let line = lines[position]
                let rest = String(line.text.dropFirst(1)).trimming(" ")
                position += 1
                if rest.isEmpty {
                    if position < lines.count && lines[position].indent > indent {
                        items.append(try parseBlock(lines, &position, indent: lines[position].indent, path: path))
                    } else {
                        items.append(YAMLValue(value: .null, line: line.number))
                    }
                } else {
                    items.append(try scalarOrFlow(rest, line: line.number, path: path))
                }
            }
            return YAMLValue(value: .list(items), line: first.number)
        }
        var entries: [(String, YAMLValue)] = []
        while position < lines.count, lines[position].indent == indent {
            let line = lines[position]
            guard let colon = keySeparator(line.text) else {
                throw ConfigurationError(path: path, line: line.number, message: "expected 'key: value'")
            }
            let key = unquote(String(line.text[..<colon]).trimming(" "))
            let rest = String(line.text[line.text.index(after: colon)...]).trimming(" ")
            position += 1
            if rest.isEmpty {
                if position < lines.count && (lines[position].indent > indent
                    || (lines[position].indent == indent && lines[position].text.hasPrefix("- "))) {
                    entries.append((key, try parseBlock(lines, &position, indent: lines[position].indent, path: path)))
                } else {
                    entries.append((key, YAMLValue(value: .null, line: line.number)))
                }
            } else {
                entries.append((key, try scalarOrFlow(rest, line: line.number, path: path)))
            }
        }
        return YAMLValue(value: .map(entries), line: first.number)
    }

    /// The `:` that ends a key (outside quotes, followed by a space or the end).
    private static func keySeparator(_ text: String) -> String.Index? {
        var quote: Character?
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == ":" {
                let next = text.index(after: index)
                if next == text.endIndex || text[next] == " " { return index }
            }
            index = text.index(after: index)
        }
        return nil
    }

    private static func scalarOrFlow(_ text: String, line: Int, path: String) throws(ConfigurationError) -> YAMLValue {
        if let first = text.first, first == "&" || first == "*" || first == "!" {
            let what = first == "&" ? "anchors ('&name')" : (first == "*" ? "aliases ('*name')" : "tags ('!tag')")
            throw ConfigurationError(path: path, line: line, message: "\(what) are not supported; write the value out")
        }
        if text.hasPrefix("[") {
            guard text.hasSuffix("]") else { throw ConfigurationError(path: path, line: line, message: "unterminated '['") }
            let inner = text.dropFirst().dropLast().trimming(" ")
            if inner.isEmpty { return YAMLValue(value: .list([]), line: line) }
            return YAMLValue(value: .list(inner.split(separator: ",").map {
                YAMLValue(value: .scalar(unquote($0.trimming(" "))), line: line)
            }), line: line)
        }
        if text.hasPrefix("{") {
            throw ConfigurationError(path: path, line: line, message: "flow mappings ('{…}') are not supported; use indented keys")
        }
        if (text.hasPrefix("\"") && !(text.count >= 2 && text.hasSuffix("\"")))
            || (text.hasPrefix("'") && !(text.count >= 2 && text.hasSuffix("'"))) {
            throw ConfigurationError(path: path, line: line, message: "unterminated quoted string")
        }
        if text == "~" || text == "null" { return YAMLValue(value: .null, line: line) }
        return YAMLValue(value: .scalar(unquote(text)), line: line)
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
        var quote: Character?
        var previous: Character = " "
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" && (previous == " " || previous == "\t") {
                return String(line[..<index])
            }
            previous = character
            index = line.index(after: index)
        }
        return line
    }
}
