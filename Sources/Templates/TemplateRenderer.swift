import Support
/// A value a template can read: text, a yes/no flag, a list, or a record of named values.
public enum TemplateValue: Sendable, Equatable {
    case text(String)
    case flag(Bool)
    case list([TemplateValue])
    case record([String: TemplateValue])

    /// What `{{#if}}` tests: non-empty text, a true flag, a non-empty list or any record.
    var isTruthy: Bool {
        switch self {
        case .text(let text): return !text.isEmpty
        case .flag(let flag): return flag
        case .list(let items): return !items.isEmpty
        case .record: return true
        }
    }
}

/// A template that cannot be read or rendered, with the file and position of the tag at fault.
public struct TemplateError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int
    public let message: String

    public var description: String { "\(file):\(line):\(column): error: \(message)" }
}

/// The template text the renderer reads from: a name → contents lookup (built-in copy or a user's folder).
public protocol TemplateSource: Sendable {
    /// The contents of the template with this name (e.g. `Dockerfile.tmpl`), or nil when there is none.
    func template(named name: String) -> String?
}

/// Renders dockerkit's small template language; see templates/SYNTAX.md.
///
/// `{{name}}` inserts a value, `{{#if name}}…{{#elif other}}…{{else}}…{{/if}}` (with `!name` to negate) chooses,
/// `{{#each name}}…{{/each}}` repeats with `{{.}}` the item (or the item's fields by name), `{{> file}}` includes
/// another template, `{{! …}}` is a comment. A block tag alone on its line takes the whole line with it.
public struct TemplateRenderer: Sendable {
    private let source: any TemplateSource
    /// Includes deeper than this are a loop.
    private static let includeDepthLimit = 32

    public init(source: any TemplateSource) {
        self.source = source
    }

    /// Renders the named template with `values`.
    public func render(_ name: String, values: [String: TemplateValue]) throws(TemplateError) -> String {
        var output = ""
        try render(name, scopes: [values], depth: 0, into: &output)
        return output
    }

    private func render(_ name: String, scopes: [[String: TemplateValue]], depth: Int, into output: inout String) throws(TemplateError) {
        guard let text = source.template(named: name) else {
            throw TemplateError(file: name, line: 1, column: 1, message: "no template named \(name)")
        }
        let nodes = try TemplateParser.parse(text, file: name)
        try render(nodes, file: name, scopes: scopes, depth: depth, into: &output)
    }

    private func render(_ nodes: [TemplateNode], file: String, scopes: [[String: TemplateValue]], depth: Int, into output: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                output += text
            case .value(let name, let position):
                let value = try lookup(name, scopes: scopes, file: file, position: position)
                switch value {
                case .text(let text): output += text
                case .flag(let flag): output += flag ? "true" : "false"
                case .list, .record:
                    throw TemplateError(file: file, line: position.line, column: position.column, message: "\(name) is a list or record; use {{#each \(name)}}")
                }
            case .conditional(let branches, let otherwise):
                var chosen: [TemplateNode]? = nil
                for branch in branches {
                    let value = try lookup(branch.name, scopes: scopes, file: file, position: branch.position)
                    if value.isTruthy != branch.negated {
                        chosen = branch.body
                        break
                    }
                }
                try render(chosen ?? otherwise, file: file, scopes: scopes, depth: depth, into: &output)
            case .each(let name, let body, let position):
                guard case .list(let items) = try lookup(name, scopes: scopes, file: file, position: position) else {
                    throw TemplateError(file: file, line: position.line, column: position.column, message: "\(name) is not a list")
                }
                for item in items {
                    var scope: [String: TemplateValue] = [".": item]
                    if case .record(let fields) = item { scope.merge(fields) { _, new in new } }
                    try render(body, file: file, scopes: scopes + [scope], depth: depth, into: &output)
                }
            case .include(let name, let position):
                guard depth < Self.includeDepthLimit else {
                    throw TemplateError(file: file, line: position.line, column: position.column, message: "includes nest deeper than \(Self.includeDepthLimit); is \(name) including itself?")
                }
                guard source.template(named: name) != nil else {
                    throw TemplateError(file: file, line: position.line, column: position.column, message: "no template named \(name)")
                }
                try render(name, scopes: scopes, depth: depth + 1, into: &output)
            }
        }
    }

    private func lookup(_ name: String, scopes: [[String: TemplateValue]], file: String, position: TemplatePosition) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() {
            if let value = scope[name] { return value }
        }
        throw TemplateError(file: file, line: position.line, column: position.column, message: "no value named \(name)")
    }
}

/// A line and column (1-based, in bytes) in a template.
struct TemplatePosition: Sendable, Equatable {
    var line: Int
    var column: Int
}

/// One `{{#if}}` or `{{#elif}}` branch.
struct TemplateBranch: Sendable {
    var name: String
    var negated: Bool
    var position: TemplatePosition
    var body: [TemplateNode]
}

/// The parsed form of a template.
indirect enum TemplateNode: Sendable {
    case text(String)
    case value(String, TemplatePosition)
    case conditional([TemplateBranch], otherwise: [TemplateNode])
    case each(String, body: [TemplateNode], position: TemplatePosition)
    case include(String, TemplatePosition)
}

/// Reads template text into nodes.
enum TemplateParser {
    /// A tag as written, with where it starts.
    private struct Tag {
        var content: String
        var position: TemplatePosition
    }

    private enum Token {
        case text(String)
        case tag(Tag)
    }

    static func parse(_ text: String, file: String) throws(TemplateError) -> [TemplateNode] {
        let tokens = try tokenize(Array(text.utf8), file: file)
        var index = 0
        let (nodes, end) = try parseBlock(tokens, index: &index, file: file)
        if let end {
            throw TemplateError(file: file, line: end.position.line, column: end.position.column, message: "{{\(end.content)}} without an opening tag")
        }
        return nodes
    }

    /// Parses nodes until a closing or branch tag (`/if`, `/each`, `else`, `#elif`), which it returns unconsumed-in-meaning.
    private static func parseBlock(_ tokens: [Token], index: inout Int, file: String) throws(TemplateError) -> ([TemplateNode], Tag?) {
        var nodes: [TemplateNode] = []
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            switch token {
            case .text(let text):
                nodes.append(.text(text))
            case .tag(let tag):
                let content = tag.content
                if content.hasPrefix("!") { continue }
                if content == "else" || content == "/if" || content == "/each" || content.hasPrefix("#elif ") {
                    return (nodes, tag)
                }
                if content.hasPrefix("#if ") {
                    nodes.append(try parseConditional(tag, tokens, index: &index, file: file))
                } else if content.hasPrefix("#each ") {
                    let name = content.dropFirst(6).trimmingBlanks()
                    let (body, end) = try parseBlock(tokens, index: &index, file: file)
                    guard end?.content == "/each" else {
                        throw TemplateError(file: file, line: tag.position.line, column: tag.position.column, message: "{{\(content)}} is not closed with {{/each}}")
                    }
                    nodes.append(.each(name, body: body, position: tag.position))
                } else if content.hasPrefix(">") {
                    nodes.append(.include(content.dropFirst().trimmingBlanks(), tag.position))
                } else if content.hasPrefix("#") || content.hasPrefix("/") || content.isEmpty || content.contains(" ") {
                    throw TemplateError(file: file, line: tag.position.line, column: tag.position.column, message: "unknown tag {{\(content)}}")
                } else {
                    nodes.append(.value(content, tag.position))
                }
            }
        }
        return (nodes, nil)
    }

    private static func parseConditional(_ opening: Tag, _ tokens: [Token], index: inout Int, file: String) throws(TemplateError) -> TemplateNode {
        var branches: [TemplateBranch] = []
        var current = opening
        while true {
            let keywordLength = current.content.hasPrefix("#if ") ? 4 : 6
            var name = current.content.dropFirst(keywordLength).trimmingBlanks()
            let negated = name.hasPrefix("!")
            if negated { name = String(name.dropFirst()).trimmingBlanks() }
            guard !name.isEmpty, !name.contains(" ") else {
                throw TemplateError(file: file, line: current.position.line, column: current.position.column, message: "{{\(current.content)}} needs one value name")
            }
            let (body, end) = try parseBlock(tokens, index: &index, file: file)
            branches.append(TemplateBranch(name: name, negated: negated, position: current.position, body: body))
            guard let end else {
                throw TemplateError(file: file, line: opening.position.line, column: opening.position.column, message: "{{\(opening.content)}} is not closed with {{/if}}")
            }
            switch end.content {
            case "/if":
                return .conditional(branches, otherwise: [])
            case "else":
                let (otherwise, close) = try parseBlock(tokens, index: &index, file: file)
                guard close?.content == "/if" else {
                    throw TemplateError(file: file, line: opening.position.line, column: opening.position.column, message: "{{\(opening.content)}} is not closed with {{/if}}")
                }
                return .conditional(branches, otherwise: otherwise)
            case let content where content.hasPrefix("#elif "):
                current = end
            default:
                throw TemplateError(file: file, line: end.position.line, column: end.position.column, message: "{{\(end.content)}} where {{/if}} was expected")
            }
        }
    }

    /// Splits text and tags; a block tag alone on its line (only spaces around it) also takes its line's
    /// indentation and line break, so templates can be laid out readably.
    private static func tokenize(_ bytes: [UInt8], file: String) throws(TemplateError) -> [Token] {
        var tokens: [Token] = []
        var textStart = 0
        var index = 0
        var line = 1
        var lineStart = 0
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}"), newline = UInt8(ascii: "\n")
        func isSpace(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
        while index < bytes.count {
            if bytes[index] == newline {
                line += 1
                lineStart = index + 1
                index += 1
                continue
            }
            guard bytes[index] == open, index + 1 < bytes.count, bytes[index + 1] == open else {
                index += 1
                continue
            }
            let position = TemplatePosition(line: line, column: index - lineStart + 1)
            var end = index + 2
            while end + 1 < bytes.count && !(bytes[end] == close && bytes[end + 1] == close) {
                if bytes[end] == newline { break }
                end += 1
            }
            guard end + 1 < bytes.count, bytes[end] == close, bytes[end + 1] == close else {
                throw TemplateError(file: file, line: position.line, column: position.column, message: "{{ is not closed with }} on its line")
            }
            let content = String(decoding: bytes[(index + 2)..<end], as: UTF8.self).trimmingBlanks()
            let isBlockTag = content.hasPrefix("#") || content.hasPrefix("/") || content.hasPrefix("!") || content.hasPrefix(">") || content == "else"
            var tagStart = index
            var tagEnd = end + 2
            if isBlockTag {
                var before = index
                while before > lineStart && isSpace(bytes[before - 1]) { before -= 1 }
                var after = tagEnd
                while after < bytes.count && isSpace(bytes[after]) { after += 1 }
                if before == lineStart && (after == bytes.count || bytes[after] == newline) {
                    tagStart = before
                    tagEnd = after < bytes.count ? after + 1 : after
                }
            }
            if tagStart > textStart {
                tokens.append(.text(String(decoding: bytes[textStart..<tagStart], as: UTF8.self)))
            }
            tokens.append(.tag(Tag(content: content, position: position)))
            if tagEnd > end + 2 {
                line += 1
                lineStart = tagEnd
            }
            index = tagEnd
            textStart = tagEnd
        }
        if textStart < bytes.count {
            tokens.append(.text(String(decoding: bytes[textStart...], as: UTF8.self)))
        }
        return tokens
    }
}
