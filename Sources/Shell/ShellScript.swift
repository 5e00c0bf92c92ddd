/// A word of a shell command: its value with quotes removed (variables kept as written) and where it stands.
public struct ShellWord: Sendable, Equatable {
    /// The word with quoting removed; `$VAR`, `${…}` and `$(…)` are kept as written.
    public let value: String
    // 32-bit offsets (a script is an instruction's text, far below 4 GiB): words are the bulk of a file's scripts, and
    // this makes each 32 bytes instead of 40.
    private let start: UInt32
    private let end: UInt32
    /// Whether any part of the word was quoted.
    public let isQuoted: Bool

    /// Byte offsets in the script text.
    public var offsets: Range<Int> { Int(start)..<Int(end) }

    init(value: String, offsets: Range<Int>, isQuoted: Bool) {
        self.value = value
        start = UInt32(clamping: offsets.lowerBound)
        end = UInt32(clamping: offsets.upperBound)
        self.isQuoted = isQuoted
    }
}

/// How a command is joined to the one before it.
public enum ShellSeparator: Sendable, Equatable {
    case start, and, or, sequence, pipe, background
}

/// A list operator (`&&`, `||`, `;`, `;;`, `&`, `|`) of a script's outermost list: not inside `$(…)`, backquotes,
/// a subshell, a `{ …; }` group or quotes.
public struct ShellOperator: Sendable, Equatable {
    public let text: String
    /// Byte offsets in the script text.
    public let offsets: Range<Int>
}

/// An operator as a script keeps it, marked when it is in the outermost list: 8 bytes instead of 40 (a file's
/// scripts hold one for every `&&`).
struct MarkedOperator: Sendable {
    /// The list operators, by what a script keeps of them.
    enum Kind: UInt8, Sendable {
        case and, background, or, pipeBoth, pipe, caseEnd, sequence

        var text: StaticString {
            switch self {
            case .and: "&&"
            case .background: "&"
            case .or: "||"
            case .pipeBoth: "|&"
            case .pipe: "|"
            case .caseEnd: ";;"
            case .sequence: ";"
            }
        }
    }

    let start: UInt32
    let kind: Kind
    let isOutermost: Bool

    init(_ kind: Kind, start: Int, isOutermost: Bool) {
        self.kind = kind
        self.start = UInt32(clamping: start)
        self.isOutermost = isOutermost
    }

    /// The same operator inside a nested script, so not in the outermost list.
    var nested: MarkedOperator { MarkedOperator(kind, start: Int(start), isOutermost: false) }

    var shellOperator: ShellOperator {
        ShellOperator(text: kind.text.description, offsets: Int(start)..<(Int(start) + kind.text.utf8CodeUnitCount))
    }
}

/// One simple command of a script, with its arguments. Immutable and shared (rules copy it often).
public final class ShellCommand: Sendable, Equatable {
    public static func == (lhs: ShellCommand, rhs: ShellCommand) -> Bool {
        lhs.name == rhs.name && lhs.arguments == rhs.arguments && lhs.redirections == rhs.redirections
            && lhs.separator == rhs.separator && lhs.pipelineIndex == rhs.pipelineIndex && lhs.offsets == rhs.offsets
    }

    /// The command word as written (`apt-get`, `/usr/bin/pip3`).
    public let name: ShellWord
    public let arguments: [ShellWord]
    /// Redirection targets (`> /etc/apt/sources.list` gives `/etc/apt/sources.list`).
    public let redirections: [ShellWord]
    /// How this command follows the previous one.
    public let separator: ShellSeparator
    // 32-bit, like a word's offsets: a file's scripts hold one of these for every command.
    private let storedPipelineIndex: Int32
    private let start: UInt32
    private let end: UInt32
    /// The command's position in its pipeline (0 for the first).
    public var pipelineIndex: Int { Int(storedPipelineIndex) }
    /// Offsets of the whole command in the script text.
    public var offsets: Range<Int> { Int(start)..<Int(end) }

    /// The last path component of the command name (`/usr/bin/pip3` → `pip3`).
    public let baseName: String

    init(name: ShellWord, arguments: [ShellWord], redirections: [ShellWord], separator: ShellSeparator, pipelineIndex: Int, offsets: Range<Int>) {
        self.name = name
        self.arguments = arguments
        self.redirections = redirections
        self.separator = separator
        storedPipelineIndex = Int32(clamping: pipelineIndex)
        start = UInt32(clamping: offsets.lowerBound)
        end = UInt32(clamping: offsets.upperBound)
        baseName = ShellCommand.baseName(of: name.value)
    }

    /// The last path component of a command name: `pip3` for `/usr/bin/pip3`.
    public static func baseName(of name: String) -> String {
        name.utf8.lastIndex(of: UInt8(ascii: "/")).map { String(name[name.utf8.index(after: $0)...]) } ?? name
    }

    /// Argument values, read from the arguments when asked (a stored copy would be an array per command).
    public var argumentValues: LazyMapCollection<[ShellWord], String> { arguments.lazy.map(\.value) }

    /// Flags as hadolint reads them: `--name=value` gives `name`, `-abc` gives `a`, `b`, `c`.
    public var flags: [String] {
        var names: [String] = []
        _ = firstFlag { names.append(String($0)); return false }
        return names
    }

    /// Whether `flags` holds `flag`, without building that list (rules ask this for every command).
    public func hasFlag(_ flag: String) -> Bool {
        firstFlag { $0 == flag }
    }

    /// Calls `stop` with each flag name in order until it returns true; whether it did. The one reading of flags
    /// behind `flags` and `hasFlag`.
    private func firstFlag(where stop: (Substring) -> Bool) -> Bool {
        for argument in arguments {
            let value = argument.value
            // A flag starts with `-`: most arguments are ruled out by their first byte, without reading characters.
            guard value.utf8.first == UInt8(ascii: "-"), value != "--", value != "-" else { continue }
            // Characters, read as bytes when the word is ASCII (nearly every flag): there each byte is one.
            let isASCII = value.utf8.allSatisfy { $0 < 0x80 }
            func after(_ index: String.Index) -> String.Index { isASCII ? value.utf8.index(after: index) : value.index(after: index) }
            let second = after(value.startIndex)
            // A mark on the dash makes another character: no flag.
            guard value[value.startIndex..<second] == "-", second < value.endIndex else { continue }
            let third = after(second)
            if value[second..<third] == "-" {
                if stop(value[third...].prefix { $0 != "=" }) { return true }
                continue
            }
            var index = second
            while index < value.endIndex {
                let next = after(index)
                if stop(value[index..<next]) { return true }
                index = next
            }
        }
        return false
    }

    /// Whether an argument is exactly `value`.
    public func hasArgument(_ value: String) -> Bool {
        arguments.contains { $0.value == value }
    }

    /// Whether the command is named `name` exactly (as hadolint compares) and has any of `arguments`.
    public func isCommand(_ names: String..., withAnyArgument arguments: [String] = []) -> Bool {
        guard names.contains(name.value) else { return false }
        return arguments.isEmpty || self.arguments.contains { arguments.contains($0.value) }
    }

    /// Arguments that are not flags (hadolint's getArgsNoFlags).
    public var nonFlagArguments: [ShellWord] {
        arguments.filter { !($0.value.hasPrefix("-") && $0.value != "-") }
    }
}

/// A POSIX shell script read just enough to find its commands: quotes, escapes, `&&`, `||`, `;`, pipes,
/// redirections, subshells and groups, `$(…)`, backquotes, comments, and `sh -c '…'` bodies. It keeps what it read,
/// not the text (offsets are into the text it was made from): a linted file holds every RUN's script, and the text is
/// the caller's to keep when it needs it.
public struct ShellScript: Sendable {
    /// Every simple command, nested ones (`$(…)`, `sh -c`) included, in source order of their start.
    public let commands: [ShellCommand]
    /// Whether any pipeline has more than one command.
    public let hasPipes: Bool
    /// The operators of the outermost list, in order: where a long command can be wrapped.
    public var topLevelOperators: [ShellOperator] { markedOperators.filter(\.isOutermost).map(\.shellOperator) }
    /// Every list operator outside quotes, nested ones (`$(…)`, subshells, groups) included, in source order.
    public var operators: [ShellOperator] { markedOperators.map(\.shellOperator) }
    /// The operators in source order, each marked when it is in the outermost list: one array for both views, which
    /// only the formatter and the reverse writer read.
    private let markedOperators: [MarkedOperator]

    public init(_ text: String) {
        var reader = ShellReader(bytes: Array(text.utf8), depth: 0)
        reader.readList(until: nil, base: 0)
        // A script the shell cannot parse runs no command; like ShellCheck (and so hadolint), report none.
        isTooDeeplyNested = reader.isTooDeep
        isValid = !reader.sawSyntaxError && !reader.isTooDeep
        commands = isValid ? reader.commands.sorted { $0.offsets.lowerBound < $1.offsets.lowerBound } : []
        hasPipes = isValid && reader.sawPipe
        // Outermost operators are read in order; nested readers add theirs after the word that holds them.
        markedOperators = isValid ? reader.operators.sorted { $0.start < $1.start } : []
    }

    /// Whether the script is valid shell syntax as far as this reader can tell (quotes closed, no stray `(`).
    public let isValid: Bool

    /// Whether `$(…)`, backquotes, subshells or `sh -c` bodies nest deeper than `nestingLimit`: such a script is
    /// not read (and has no commands), so that a file cannot drive the reader's time or stack without bound.
    public let isTooDeeplyNested: Bool

    /// How deep commands may nest inside one another; real scripts stay below ten.
    public static let nestingLimit = 64

    /// Commands with this base name.
    public func commands(named names: String...) -> [ShellCommand] {
        commands.filter { names.contains($0.baseName) }
    }

    /// Whether some command satisfies `predicate`.
    public func contains(where predicate: (ShellCommand) -> Bool) -> Bool {
        commands.contains(where: predicate)
    }
}

// Word tests as switches over literals: the reader asks them for every word and byte, and array or set literals
// would be built (or hashed) each time.
private func isReservedWord(_ word: String) -> Bool {
    // Nearly every word is a longer command name; the length test spares it fourteen string comparisons.
    guard word.utf8.count <= 5 else { return false }
    switch word {
    case "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "esac": return true
    default: return false
    }
}

private func isCompoundCommandWord(_ word: String) -> Bool {
    switch word {
    case "for", "case", "select", "function": return true
    default: return false
    }
}

private func isShellName(_ name: String) -> Bool {
    switch name {
    case "sh", "bash", "dash", "ash", "zsh", "ksh": return true
    default: return false
    }
}

private struct ShellReader {
    let bytes: [UInt8]
    var position = 0
    var commands: [ShellCommand] = []
    var sawPipe = false
    var sawSyntaxError = false
    /// How many lists this one is nested in; past `ShellScript.nestingLimit` the reader stops and says so.
    var depth: Int
    var isTooDeep = false
    /// Operators seen, and whether each is in the outermost list (depth 0, outside `{ …; }` groups).
    var operators: [MarkedOperator] = []
    var groupDepth = 0

    /// The part of `bytes` this reader reads; nested `$(…)` readers share the bytes and read a part of them.
    let start: Int
    let end: Int

    init(bytes: [UInt8], range: Range<Int>? = nil, depth: Int) {
        self.bytes = bytes
        start = range?.lowerBound ?? 0
        end = range?.upperBound ?? bytes.count
        position = start
        self.depth = depth
    }

    /// Reads `range` of the bytes as a nested script, one level deeper; its commands join this reader's.
    mutating func readNested(_ range: Range<Int>, base: Int) -> ShellReader? {
        guard depth < ShellScript.nestingLimit else {
            isTooDeep = true
            return nil
        }
        var inner = ShellReader(bytes: bytes, range: range, depth: depth + 1)
        inner.readList(until: nil, base: base)
        isTooDeep = isTooDeep || inner.isTooDeep
        sawPipe = sawPipe || inner.sawPipe
        operators += inner.operators.map { $0.nested }
        return inner
    }

    var peek: UInt8? { position < end ? bytes[position] : nil }

    func at(_ offset: Int) -> UInt8? { position + offset < end ? bytes[position + offset] : nil }

    /// Reads commands until `terminator` (a closing `)` for subshells) or the end. Offsets are shifted by `base`.
    mutating func readList(until terminator: UInt8?, base: Int) {
        var words: [ShellWord] = []
        var redirections: [ShellWord] = []
        var separator = ShellSeparator.start
        var pipelineIndex = 0
        var commandStart: Int?

        func finish(_ next: ShellSeparator, into reader: inout ShellReader) {
            var remaining = words[...]
            while let first = remaining.first, isReservedWord(first.value) { remaining = remaining.dropFirst() }
            while let first = remaining.first, isAssignment(first.value) { remaining = remaining.dropFirst() }
            if let name = remaining.first, !isCompoundCommandWord(name.value), let start = commandStart {
                let end = (remaining.last?.offsets.upperBound ?? start)
                reader.append(ShellCommand(
                    name: name, arguments: Array(remaining.dropFirst()), redirections: redirections, separator: separator,
                    pipelineIndex: pipelineIndex, offsets: (start + base)..<(max(end, start) + base)))
            }
            if next == .pipe {
                pipelineIndex += words.isEmpty ? 0 : 1
                reader.sawPipe = true
            } else {
                pipelineIndex = 0
            }
            if !words.isEmpty { separator = next }
            // The command took a copy; the room is kept for the next one.
            words.removeAll(keepingCapacity: true)
            redirections = []
            commandStart = nil
        }

        func record(_ kind: MarkedOperator.Kind, at start: Int, into reader: inout ShellReader) {
            reader.operators.append(MarkedOperator(kind, start: start + base, isOutermost: reader.depth == 0 && reader.groupDepth == 0))
        }

        while let byte = peek, !isTooDeep {
            switch byte {
            case 0x20, 0x09:
                position += 1
            case 0x0A, 0x0D:
                position += 1
                finish(.sequence, into: &self)
            case UInt8(ascii: "#") where words.isEmpty || isWordBoundaryBefore():
                while let next = peek, next != 0x0A { position += 1 }
            case UInt8(ascii: "&") where at(1) == UInt8(ascii: ">"):
                position += 2
                if peek == UInt8(ascii: ">") { position += 1 }
                if let target = readRedirectTarget(base: base) { redirections.append(target) }
            case UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: ";"):
                let (kind, next) = ShellReader.listOperator(byte, followedBy: at(1))
                record(kind, at: position, into: &self)
                position += kind.text.utf8CodeUnitCount
                finish(next, into: &self)
            case UInt8(ascii: "("):
                // `(` may follow reserved words (`if ( … )`, `! ( … )`); after a command word it is an error.
                if !words.allSatisfy({ isReservedWord($0.value) }) && at(1) != UInt8(ascii: ")") { sawSyntaxError = true }
                finish(.sequence, into: &self)
                readSubshell(base: base)
            case UInt8(ascii: ")"):
                finish(.sequence, into: &self)
                position += 1
                if terminator == UInt8(ascii: ")") { return }
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                readRedirection(into: &redirections, base: base)
            default:
                if byte >= 0x30 && byte <= 0x39, let after = digitRunEnd(), after < end,
                   bytes[after] == UInt8(ascii: "<") || bytes[after] == UInt8(ascii: ">") {
                    position = after
                    readRedirection(into: &redirections, base: base)
                    continue
                }
                if commandStart == nil { commandStart = position }
                words.append(readWord(base: base))
                // `{ …; }` groups are one command to the list around them: their operators are not outermost.
                if words.count == 1, !words[0].isQuoted {
                    if words[0].value == "{" { groupDepth += 1 } else if words[0].value == "}" { groupDepth = max(0, groupDepth - 1) }
                }
            }
        }
        finish(.sequence, into: &self)
    }

    /// The list operator starting with `byte` (`&`, `|` or `;`) and the separator it makes.
    static func listOperator(_ byte: UInt8, followedBy next: UInt8?) -> (MarkedOperator.Kind, ShellSeparator) {
        switch (byte, next) {
        case (UInt8(ascii: "&"), UInt8(ascii: "&")): return (.and, .and)
        case (UInt8(ascii: "&"), _): return (.background, .background)
        case (UInt8(ascii: "|"), UInt8(ascii: "|")): return (.or, .or)
        case (UInt8(ascii: "|"), UInt8(ascii: "&")): return (.pipeBoth, .pipe)
        case (UInt8(ascii: "|"), _): return (.pipe, .pipe)
        case (_, UInt8(ascii: ";")): return (.caseEnd, .sequence)
        default: return (.sequence, .sequence)
        }
    }

    /// A command found: kept, and read again when it runs a shell script of its own (`sh -c '…'`).
    mutating func append(_ command: ShellCommand) {
        commands.append(command)
        readNestedShell(command)
    }

    /// After `(`: an arithmetic `((…))` is skipped; a subshell's list is read, within the nesting limit.
    mutating func readSubshell(base: Int) {
        position += 1
        if peek == UInt8(ascii: "(") {
            skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2)
        } else if depth >= ShellScript.nestingLimit {
            isTooDeep = true
        } else {
            depth += 1
            readList(until: UInt8(ascii: ")"), base: base)
            depth -= 1
        }
    }

    func isWordBoundaryBefore() -> Bool {
        guard position > start else { return true }
        switch bytes[position - 1] {
        case 0x20, 0x09, 0x0A, 0x3B, 0x26, 0x7C, 0x28: return true
        default: return false
        }
    }

    func digitRunEnd() -> Int? {
        var index = position
        while index < end && bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
        return index
    }

    mutating func readRedirection(into redirections: inout [ShellWord], base: Int) {
        if peek == UInt8(ascii: "<") && at(1) == UInt8(ascii: "<") {
            // Here-string or heredoc: keep the word as a redirection.
            position += 2
            if peek == UInt8(ascii: "<") || peek == UInt8(ascii: "-") { position += 1 }
            if let target = readRedirectTarget(base: base) { redirections.append(target) }
            return
        }
        position += 1
        while let next = peek, next == UInt8(ascii: ">") || next == UInt8(ascii: "|") { position += 1 }
        if peek == UInt8(ascii: "&") {
            position += 1
            while let next = peek, (next >= 0x30 && next <= 0x39) || next == UInt8(ascii: "-") { position += 1 }
            return
        }
        if let target = readRedirectTarget(base: base) { redirections.append(target) }
    }

    mutating func readRedirectTarget(base: Int) -> ShellWord? {
        while peek == 0x20 || peek == 0x09 { position += 1 }
        guard let next = peek, !isOperator(next), next != 0x0A else { return nil }
        return readWord(base: base)
    }

    func isOperator(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: ";"), UInt8(ascii: "&"), UInt8(ascii: "|"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"),
             UInt8(ascii: ">"):
            return true
        default:
            return false
        }
    }

    /// Reads one word up to unquoted blank or operator.
    mutating func readWord(base: Int) -> ShellWord {
        let start = position
        // Most words are plain (no quote, escape or expansion): their value is their bytes, taken in one piece.
        var isPlain = true
        while position < end {
            let byte = bytes[position]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || isOperator(byte) { break }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "$") || byte == UInt8(ascii: "`") {
                isPlain = false
                break
            }
            position += 1
        }
        if isPlain {
            return ShellWord(value: String(decoding: bytes[start..<position], as: UTF8.self), offsets: (start + base)..<(position + base), isQuoted: false)
        }
        var value = Array(bytes[start..<position])
        var quoted = false
        var nested: [(Int, Int)] = []
        while let byte = peek {
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || isOperator(byte) { break }
            switch byte {
            case UInt8(ascii: "'"):
                quoted = true
                position += 1
                while let next = peek, next != UInt8(ascii: "'") { value.append(next); position += 1 }
                if peek == nil { sawSyntaxError = true }
                position += 1
            case UInt8(ascii: "\""):
                quoted = true
                position += 1
                while let next = peek, next != UInt8(ascii: "\"") {
                    if next == UInt8(ascii: "\\"), let escaped = at(1), isEscapableInDoubleQuotes(escaped) {
                        if escaped != 0x0A { value.append(escaped) }
                        position += 2
                    } else if next == UInt8(ascii: "$") && at(1) == UInt8(ascii: "(") {
                        let expansionStart = position
                        position += 2
                        let closed = skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 1)
                        nested.append((expansionStart + 2, closed ? position - 1 : position))
                        value.append(contentsOf: bytes[expansionStart..<position])
                    } else {
                        value.append(next)
                        position += 1
                    }
                }
                if peek == nil { sawSyntaxError = true }
                position += 1
            case UInt8(ascii: "\\"):
                if let escaped = at(1) {
                    if escaped != 0x0A { value.append(escaped) }
                    position += 2
                } else {
                    position += 1
                }
            case UInt8(ascii: "$"):
                let expansionStart = position
                if at(1) == UInt8(ascii: "(") {
                    position += 2
                    if peek == UInt8(ascii: "(") {
                        skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 2)
                    } else {
                        let closed = skipBalanced(open: UInt8(ascii: "("), close: UInt8(ascii: ")"), depth: 1)
                        nested.append((expansionStart + 2, closed ? position - 1 : position))
                    }
                } else if at(1) == UInt8(ascii: "{") {
                    position += 2
                    skipBalanced(open: UInt8(ascii: "{"), close: UInt8(ascii: "}"), depth: 1)
                } else {
                    position += 1
                }
                value.append(contentsOf: bytes[expansionStart..<min(position, end)])
            case UInt8(ascii: "`"):
                let expansionStart = position
                position += 1
                while let next = peek, next != UInt8(ascii: "`") { position += next == UInt8(ascii: "\\") ? 2 : 1 }
                position = min(position + 1, end)
                nested.append((expansionStart + 1, max(expansionStart + 1, position - 1)))
                value.append(contentsOf: bytes[expansionStart..<position])
            default:
                value.append(byte)
                position += 1
            }
        }
        position = min(position, end)
        for (nestedStart, nestedEnd) in nested where nestedStart < nestedEnd && nestedEnd <= end {
            guard let inner = readNested(nestedStart..<nestedEnd, base: base) else { break }
            commands.append(contentsOf: inner.commands)
        }
        return ShellWord(value: String(decoding: value, as: UTF8.self), offsets: (start + base)..<(position + base), isQuoted: quoted)
    }

    /// The bytes a backslash escapes inside double quotes.
    func isEscapableInDoubleQuotes(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "$"), UInt8(ascii: "`"), 0x0A: return true
        default: return false
        }
    }

    /// Skips to the matching close character, honouring quotes; whether it was found (not the end of the text).
    @discardableResult
    mutating func skipBalanced(open: UInt8, close: UInt8, depth initialDepth: Int) -> Bool {
        var depth = initialDepth
        while let byte = peek {
            position += 1
            switch byte {
            case open: depth += 1
            case close:
                depth -= 1
                if depth == 0 { return true }
            case UInt8(ascii: "'"):
                while let next = peek, next != UInt8(ascii: "'") { position += 1 }
                position += 1
            case UInt8(ascii: "\""):
                while let next = peek, next != UInt8(ascii: "\"") { position += next == UInt8(ascii: "\\") ? 2 : 1 }
                position += 1
            case UInt8(ascii: "\\"):
                position += 1
            default:
                break
            }
        }
        position = min(position, end)
        return false
    }

    /// `sh -c '…'`: the string is a script too; its commands are added with offsets inside the quoted word.
    mutating func readNestedShell(_ command: ShellCommand) {
        guard isShellName(command.baseName),
              let flagIndex = command.arguments.firstIndex(where: { $0.value.hasPrefix("-") && $0.value.utf8.dropFirst().contains(UInt8(ascii: "c")) && !$0.value.hasPrefix("--") }),
              flagIndex + 1 < command.arguments.count else { return }
        let body = command.arguments[flagIndex + 1]
        let innerStart = body.offsets.lowerBound + (body.isQuoted ? 1 : 0)
        guard depth < ShellScript.nestingLimit else {
            isTooDeep = true
            return
        }
        var inner = ShellReader(bytes: Array(body.value.utf8), depth: depth + 1)
        inner.readList(until: nil, base: innerStart)
        isTooDeep = isTooDeep || inner.isTooDeep
        let limit = body.offsets.upperBound
        commands.append(contentsOf: inner.commands.map { nestedCommand in
            // Unquoting shifts offsets; keep them inside the quoted word.
            let lower = min(nestedCommand.offsets.lowerBound, limit)
            let upper = min(max(nestedCommand.offsets.upperBound, lower), limit)
            return ShellCommand(
                name: nestedCommand.name, arguments: nestedCommand.arguments, redirections: nestedCommand.redirections,
                separator: nestedCommand.separator, pipelineIndex: nestedCommand.pipelineIndex, offsets: lower..<upper)
        })
        sawPipe = sawPipe || inner.sawPipe
    }
}

private func isAssignment(_ word: String) -> Bool {
    let bytes = word.utf8
    guard let equals = bytes.firstIndex(of: UInt8(ascii: "=")), equals != bytes.startIndex else { return false }
    let name = word[..<equals]
    // ASCII names (nearly all) without decoding characters; others as before, by Unicode properties.
    if name.utf8.allSatisfy({ $0 < 0x80 }) {
        return name.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5F }
    }
    return name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
}
