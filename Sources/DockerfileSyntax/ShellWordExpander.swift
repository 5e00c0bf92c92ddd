/// An error from expanding a word, with BuildKit's message.
public struct ExpansionError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The result of expanding one word.
public struct ExpansionResult: Sendable, Equatable {
    /// The expanded text with quotes removed (BuildKit's ProcessWord).
    public var value: String
    /// The expanded text split into words after substitution (BuildKit's ProcessWords).
    public var words: [String]
    /// Variable names that were looked up and found.
    public var matched: Set<String>
    /// Variable names that were looked up and not found.
    public var unmatched: Set<String>
}

/// Variable expansion and word splitting as BuildKit's shell lexer does it for Dockerfile instructions:
/// `$VAR ${VAR} ${VAR:-x} ${VAR-x} ${VAR:+x} ${VAR+x} ${VAR:?msg} ${VAR?msg} ${VAR#p} ${VAR##p} ${VAR%p}
/// ${VAR%%p} ${VAR/p/r} ${VAR//p/r}`, single and double quotes, and the escape character.
public struct ShellWordExpander: Sendable {
    /// The escape character: `\` or the backtick set by `# escape=`.
    public var escapeToken: Unicode.Scalar
    /// Keep quote characters in the output.
    public var keepsQuotes = false
    /// Keep escape characters in the output.
    public var keepsEscapes = false
    /// Treat quotes as ordinary characters.
    public var ignoresQuotes = false
    /// Leave references to unset variables as written instead of expanding them to nothing.
    public var leavesUnsetVariables = false

    /// How deeply `${…}` may nest; deeper input is rejected rather than risking the stack.
    public static let maximumNesting = 200

    public init(escapeToken: Unicode.Scalar = "\\") {
        self.escapeToken = escapeToken
    }

    /// Expands `word` with `environment`; throws BuildKit's error for malformed substitutions.
    public func expand(_ word: String, environment: [String: String]) throws(ExpansionError) -> ExpansionResult {
        var lexer = Lexer(scalars: Self.scalars(of: Array(word.utf8)), expander: self, environment: environment)
        let (value, words) = try lexer.process(stopAt: nil, rawEscapes: keepsEscapes)
        return ExpansionResult(value: value.stringValue, words: words, matched: lexer.matched, unmatched: lexer.unmatched)
    }

    /// Decodes bytes to scalars the way Go's text/scanner reads them (a leading BOM is skipped).
    static func scalars(of bytes: [UInt8]) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(bytes.count)
        bytes.withUnsafeBufferPointer { buffer in
            var index = 0
            while index < buffer.count {
                let (scalar, width) = GoText.decodeRune(buffer, at: index, end: buffer.count)
                if !(index == 0 && scalar == 0xFEFF) { result.append(scalar) }
                index += width
            }
        }
        return result
    }
}

/// A growable buffer of scalars that converts to String once.
private struct ScalarText {
    var scalars: [UInt32] = []
    mutating func append(_ scalar: UInt32) { scalars.append(scalar) }
    mutating func append(_ other: ScalarText) { scalars.append(contentsOf: other.scalars) }
    var isEmpty: Bool { scalars.isEmpty }
    var stringValue: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(scalars.count)
        for scalar in scalars { GoText.appendUTF8(scalar, to: &bytes) }
        return GoText.string(bytes)
    }
    init() {}
    init(_ text: String) { scalars = text.unicodeScalars.map(\.value) }
}

private struct WordSplitter {
    var current = ScalarText()
    var words: [String] = []
    var inWord = false

    mutating func add(_ scalar: UInt32) {
        if GoText.isSpace(scalar) {
            if inWord && !current.isEmpty {
                words.append(current.stringValue)
                current = ScalarText()
                inWord = false
            }
        } else {
            addRaw(scalar)
        }
    }

    mutating func addRaw(_ scalar: UInt32) {
        current.append(scalar)
        inWord = true
    }

    mutating func add(_ text: ScalarText) {
        for scalar in text.scalars { add(scalar) }
    }

    mutating func addRaw(_ text: ScalarText) {
        current.append(text)
        inWord = true
    }

    mutating func finish() -> [String] {
        if !current.isEmpty {
            words.append(current.stringValue)
            current = ScalarText()
            inWord = false
        }
        return words
    }
}

private struct Lexer {
    let scalars: [UInt32]
    let expander: ShellWordExpander
    let environment: [String: String]
    var index = 0
    var matched: Set<String> = []
    var unmatched: Set<String> = []
    /// Whether escape characters are kept in the current (possibly nested) scan.
    var rawEscapes = false
    var nesting = 0

    init(scalars: [UInt32], expander: ShellWordExpander, environment: [String: String]) {
        self.scalars = scalars
        self.expander = expander
        self.environment = environment
        rawEscapes = expander.keepsEscapes
    }

    var escape: UInt32 { expander.escapeToken.value }
    var peek: UInt32? { index < scalars.count ? scalars[index] : nil }

    mutating func next() -> UInt32? {
        guard index < scalars.count else { return nil }
        defer { index += 1 }
        return scalars[index]
    }

    mutating func lookup(_ name: String) -> String? {
        if let value = environment[name] {
            matched.insert(name)
            return value
        }
        unmatched.insert(name)
        return nil
    }

    /// The text up to `stop`; input that ends first is the error `missing` (BuildKit's words for it).
    mutating func text(until stop: UInt32, rawEscapes: Bool, missing: String) throws(ExpansionError) -> ScalarText {
        do {
            return try process(stopAt: stop, rawEscapes: rawEscapes).0
        } catch {
            if peek == nil { throw ExpansionError(missing) }
            throw error
        }
    }

    mutating func process(stopAt stop: UInt32?, rawEscapes scanRawEscapes: Bool) throws(ExpansionError) -> (ScalarText, [String]) {
        var result = ScalarText()
        var words = WordSplitter()
        let savedRawEscapes = rawEscapes
        rawEscapes = scanRawEscapes
        defer { rawEscapes = savedRawEscapes }

        while let scalar = peek {
            if let stop, scalar == stop {
                index += 1
                return (result, words.finish())
            }
            switch scalar {
            case 0x24: // $
                let value = try processDollar()
                result.append(value)
                words.add(value)
                continue
            case 0x3C: // <
                let value = processPossibleHeredoc()
                result.append(value)
                words.addRaw(value)
                continue
            case 0x27 where !expander.ignoresQuotes: // '
                let value = try processSingleQuote()
                result.append(value)
                words.addRaw(value)
                continue
            case 0x22 where !expander.ignoresQuotes: // "
                let value = try processDoubleQuote()
                result.append(value)
                words.addRaw(value)
                continue
            default:
                break
            }
            index += 1
            if scalar == escape {
                if rawEscapes {
                    words.addRaw(scalar)
                    result.append(scalar)
                }
                guard let escaped = next() else { break }
                words.addRaw(escaped)
                result.append(escaped)
            } else {
                words.add(scalar)
                result.append(scalar)
            }
        }
        if let stop {
            throw ExpansionError("unexpected end of statement while looking for matching \(String(Unicode.Scalar(stop) ?? "?"))")
        }
        return (result, words.finish())
    }

    mutating func processSingleQuote() throws(ExpansionError) -> ScalarText {
        var result = ScalarText()
        let open = next() ?? 0x27
        if expander.keepsQuotes { result.append(open) }
        while true {
            guard let scalar = next() else {
                throw ExpansionError("unexpected end of statement while looking for matching single-quote")
            }
            if scalar == 0x27 {
                if expander.keepsQuotes { result.append(scalar) }
                return result
            }
            result.append(scalar)
        }
    }

    mutating func processDoubleQuote() throws(ExpansionError) -> ScalarText {
        var result = ScalarText()
        let open = next() ?? 0x22
        if expander.keepsQuotes { result.append(open) }
        while true {
            guard let scalar = peek else {
                throw ExpansionError("unexpected end of statement while looking for matching double-quote")
            }
            if scalar == 0x22 {
                index += 1
                if expander.keepsQuotes { result.append(scalar) }
                return result
            }
            if scalar == 0x24 {
                result.append(try processDollar())
                continue
            }
            index += 1
            var character = scalar
            if scalar == escape {
                if rawEscapes { result.append(scalar) }
                guard let following = peek else { continue }
                if following == 0x22 || following == 0x24 || following == escape {
                    index += 1
                    character = following
                }
            }
            result.append(character)
        }
    }

    mutating func processName() -> String {
        var name = ScalarText()
        while let scalar = peek {
            if name.isEmpty && Self.isDigit(scalar) {
                while let digit = peek, Self.isDigit(digit) {
                    name.append(digit)
                    index += 1
                }
                return name.stringValue
            }
            if name.isEmpty && Self.isSpecialParameter(scalar) {
                index += 1
                var special = ScalarText()
                special.append(scalar)
                return special.stringValue
            }
            guard Self.isLetter(scalar) || Self.isDigit(scalar) || scalar == 0x5F else { break }
            name.append(scalar)
            index += 1
        }
        return name.stringValue
    }

    mutating func processDollar() throws(ExpansionError) -> ScalarText {
        index += 1
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= ShellWordExpander.maximumNesting else {
            throw ExpansionError("substitution nested more than \(ShellWordExpander.maximumNesting) levels deep")
        }
        if peek != 0x7B { // {
            let name = processName()
            if name.isEmpty { return ScalarText("$") }
            guard let value = lookup(name) else {
                return expander.leavesUnsetVariables ? ScalarText("$" + name) : ScalarText()
            }
            return ScalarText(value)
        }
        index += 1
        switch peek {
        case nil: throw ExpansionError("syntax error: missing '}'")
        case 0x7B, 0x7D, 0x3A: throw ExpansionError("syntax error: bad substitution")
        default: break
        }
        let name = processName()
        let modifier = next()
        let modifierText = modifier.map { String(Unicode.Scalar($0) ?? "\u{FFFD}") } ?? "\u{FFFD}"

        switch modifier {
        case 0x7D: // }
            guard let value = lookup(name) else {
                return expander.leavesUnsetVariables ? ScalarText("${\(name)}") : ScalarText()
            }
            return ScalarText(value)
        case 0x3A, 0x2B, 0x2D, 0x3F, 0x23, 0x25: // : + - ? # %
            return try applyModifier(modifier, to: name, modifierText: modifierText)
        case 0x2F: // /
            return try replaceSubstitution(of: name)
        default:
            throw ExpansionError("unsupported modifier (\(modifierText)) in substitution")
        }
    }

    /// `${name:-word}`, `${name+word}`, `${name?word}`, `${name#pattern}` and the rest of the test and trim forms.
    private mutating func applyModifier(_ modifier: UInt32?, to name: String, modifierText: String) throws(ExpansionError) -> ScalarText {
        var modifierText = modifierText
        var operation = modifier
        let nullIsUnset = modifier == 0x3A
        if nullIsUnset {
            operation = next()
            modifierText += operation.map { String(Unicode.Scalar($0) ?? "\u{FFFD}") } ?? "\u{FFFD}"
        }
        let isTrim = operation == 0x23 || operation == 0x25
        if nullIsUnset && isTrim {
            throw ExpansionError("unsupported modifier (\(modifierText)) in substitution")
        }
        let word = try text(until: 0x7D, rawEscapes: isTrim, missing: "syntax error: missing '}'")
        let value = lookup(name)
        if expander.leavesUnsetVariables && value == nil {
            return ScalarText("${\(name)\(modifierText)\(word.stringValue)}")
        }
        let isEmptyOrUnset = value == nil || (nullIsUnset && value == "")
        switch operation {
        case 0x2D: // -
            return isEmptyOrUnset ? word : ScalarText(value ?? "")
        case 0x2B: // +
            return isEmptyOrUnset ? ScalarText() : word
        case 0x3F: // ?
            if value == nil {
                throw ExpansionError("\(name): \(word.isEmpty ? "is not allowed to be unset" : word.stringValue)")
            }
            if nullIsUnset && value == "" {
                throw ExpansionError("\(name): \(word.isEmpty ? "is not allowed to be empty" : word.stringValue)")
            }
            return ScalarText(value ?? "")
        case 0x23, 0x25: // # %
            var pattern = word.scalars
            var longest = false
            if let first = pattern.first, first == operation {
                longest = true
                pattern.removeFirst()
            }
            let subject = Array((value ?? "").unicodeScalars.map(\.value))
            let trimmed = try ShellPattern(pattern, greedy: longest)
                .trim(subject, fromEnd: operation == 0x25)
            var text = ScalarText()
            text.scalars = trimmed
            return text
        default:
            throw ExpansionError("unsupported modifier (\(modifierText)) in substitution")
        }
    }

    /// `${name/pattern/replacement}` and `${name//pattern/replacement}`.
    private mutating func replaceSubstitution(of name: String) throws(ExpansionError) -> ScalarText {
        let replaceAll = peek == 0x2F
        if replaceAll { index += 1 }
        let pattern = try text(until: 0x2F, rawEscapes: true, missing: "syntax error: missing '/' in ${}")
        let replacement = try text(until: 0x7D, rawEscapes: true, missing: "syntax error: missing '}'")
        let value = lookup(name)
        if expander.leavesUnsetVariables && value == nil {
            return ScalarText("${\(name)/\(pattern.stringValue)/\(replacement.stringValue)}")
        }
        let subject = Array((value ?? "").unicodeScalars.map(\.value))
        var text = ScalarText()
        text.scalars = try ShellPattern(pattern.scalars, greedy: true)
            .replace(in: subject, with: replacement.scalars, all: replaceAll)
        return text
    }

    mutating func processPossibleHeredoc() -> ScalarText {
        index += 1
        var result = ScalarText("<")
        guard peek == 0x3C else { return result }
        index += 1
        result.append(0x3C)
        while let scalar = peek, scalar == 0x09 || scalar == 0x0D || scalar == 0x20 {
            result.append(scalar)
            index += 1
        }
        return result
    }

    static func isDigit(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return scalar >= 0x30 && scalar <= 0x39 }
        return Unicode.Scalar(scalar)?.properties.generalCategory == .decimalNumber
    }

    static func isLetter(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 { return (scalar | 0x20) >= 0x61 && (scalar | 0x20) <= 0x7A }
        switch Unicode.Scalar(scalar)?.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isSpecialParameter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x40, 0x2A, 0x23, 0x3F, 0x2D, 0x24, 0x21, 0x30: return true
        default: return false
        }
    }
}

/// A shell wildcard pattern (`*`, `?`, escapes; no brackets) as BuildKit converts it to a regular expression,
/// matched with the same leftmost-first preference. Like Go's `.`, wildcards never match a newline.
struct ShellPattern {
    enum Element: Equatable {
        case literal(UInt32)
        case anyOne
        case anyRun
    }

    let elements: [Element]
    let greedy: Bool

    init(_ pattern: [UInt32], greedy: Bool) throws(ExpansionError) {
        var elements: [Element] = []
        var index = 0
        while index < pattern.count {
            let scalar = pattern[index]
            index += 1
            switch scalar {
            case 0x2A: elements.append(.anyRun)
            case 0x3F: elements.append(.anyOne)
            case 0x5C:
                // `\}` and `\/` are escapes of the ${} syntax, not of the pattern.
                if index < pattern.count && (pattern[index] == 0x7D || pattern[index] == 0x2F) { continue }
                guard index < pattern.count else { throw ExpansionError("invalid escape '\\'") }
                let escaped = pattern[index]
                index += 1
                guard escaped == 0x2A || escaped == 0x3F || escaped == 0x5C else {
                    throw ExpansionError("invalid escape '\\\(String(Unicode.Scalar(escaped) ?? "?"))'")
                }
                elements.append(.literal(escaped))
            default:
                elements.append(.literal(scalar))
            }
        }
        self.elements = elements
        self.greedy = greedy
    }

    /// Where a match of the pattern starting at `start` ends, preferring longer or shorter runs as a regex would.
    func matchEnd(_ subject: [UInt32], from start: Int) -> Int? {
        var memo: [Int: Int?] = [:]
        func match(_ element: Int, _ position: Int) -> Int? {
            if element == elements.count { return position }
            let key = element &* (subject.count + 1) &+ position
            if let known = memo[key] { return known }
            var result: Int?
            switch elements[element] {
            case .literal(let scalar):
                if position < subject.count && subject[position] == scalar { result = match(element + 1, position + 1) }
            case .anyOne:
                if position < subject.count && subject[position] != 0x0A { result = match(element + 1, position + 1) }
            case .anyRun:
                var limit = position
                while limit < subject.count && subject[limit] != 0x0A { limit += 1 }
                if greedy {
                    var end = limit
                    while end >= position {
                        if let found = match(element + 1, end) { result = found; break }
                        end -= 1
                    }
                } else {
                    for end in position...limit {
                        if let found = match(element + 1, end) { result = found; break }
                    }
                }
            }
            memo[key] = result
            return result
        }
        return match(0, start)
    }

    /// Removes the prefix (or suffix) the pattern matches, as `${VAR#p}` (`${VAR%p}`) does.
    func trim(_ subject: [UInt32], fromEnd: Bool) -> [UInt32] {
        if fromEnd {
            let reversed = ShellPattern(reversedElements: elements.reversed(), greedy: greedy)
            let reversedSubject = Array(subject.reversed())
            guard let end = reversed.matchEnd(reversedSubject, from: 0) else { return subject }
            return Array(reversedSubject[end...].reversed())
        }
        guard let end = matchEnd(subject, from: 0) else { return subject }
        return Array(subject[end...])
    }

    private init(reversedElements: [Element], greedy: Bool) {
        elements = reversedElements
        self.greedy = greedy
    }

    /// Replaces the leftmost match (or every match) of the pattern, as `${VAR/p/r}` (`${VAR//p/r}`) does.
    func replace(in subject: [UInt32], with replacement: [UInt32], all: Bool) -> [UInt32] {
        var output: [UInt32] = []
        var position = 0
        var searchFrom = 0
        var lastMatchEnd = -1
        while searchFrom <= subject.count {
            var found: (Int, Int)?
            var start = searchFrom
            while start <= subject.count {
                if let end = matchEnd(subject, from: start), !(end == start && start == lastMatchEnd) {
                    found = (start, end)
                    break
                }
                start += 1
            }
            guard let (matchStart, matchEnd) = found else { break }
            output.append(contentsOf: subject[position..<matchStart])
            output.append(contentsOf: replacement)
            position = matchEnd
            lastMatchEnd = matchEnd
            if !all { break }
            searchFrom = matchEnd > matchStart ? matchEnd : matchEnd + 1
            if matchEnd == matchStart && matchStart < subject.count {
                output.append(subject[matchStart])
                position = matchStart + 1
            }
        }
        output.append(contentsOf: subject[min(position, subject.count)...])
        return output
    }
}
