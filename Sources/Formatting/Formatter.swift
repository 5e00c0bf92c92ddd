import DockerfileSyntax
import Shell
import Support

/// Options for `dockerkit fmt`.
public struct FormatOptions: Sendable, Equatable {
    /// Spaces before continuation lines.
    public var indent = 4
    /// Instruction keywords in upper case (the default) or lower case.
    public var uppercaseKeywords = true

    public init(indent: Int = 4, uppercaseKeywords: Bool = true) {
        self.indent = indent
        self.uppercaseKeywords = uppercaseKeywords
    }
}

/// Rewrites a Dockerfile to dockerkit's canonical layout without changing what BuildKit reads from it:
/// keywords in one case, one space between parts, exec forms as `["a", "b"]`, legacy `ENV k v` as `ENV k=v`,
/// continuation lines indented with `&&`/`||` leading, at most one blank line, no trailing blanks, one final newline.
/// Heredoc bodies, text inside quotes and `# dockerkit fmt: off` … `# dockerkit fmt: on` regions are left as they are.
public enum DockerfileFormatter {
    public static let offMarker = "# dockerkit fmt: off"
    public static let onMarker = "# dockerkit fmt: on"

    /// The formatted file, or nil when the tree has syntax errors (a file that does not parse is not touched).
    public static func format(_ tree: DockerfileSyntaxTree, options: FormatOptions = FormatOptions()) -> [UInt8]? {
        guard tree.errors.isEmpty else { return nil }
        var writer = FormatWriter(tree: tree, options: options)
        writer.run()
        return writer.output
    }
}

private struct FormatWriter {
    let tree: DockerfileSyntaxTree
    let options: FormatOptions
    let newline: [UInt8]
    var output: [UInt8] = []
    var pendingBlank = false
    var wroteLine = false
    var formattingOff = false
    /// Whether everything written so far is parser directives (or nothing): a comment written now that reads as a
    /// directive would become one.
    var onlyDirectivesWritten = true

    init(tree: DockerfileSyntaxTree, options: FormatOptions) {
        self.tree = tree
        self.options = options
        // Keep the file's line-ending style: CRLF when most line breaks are CRLF.
        var crlf = 0
        var lf = 0
        let bytes = tree.source
        for index in bytes.indices where bytes[index] == 0x0A {
            if index > 0 && bytes[index - 1] == 0x0D { crlf += 1 } else { lf += 1 }
        }
        newline = crlf > lf ? [0x0D, 0x0A] : [0x0A]
    }

    var indentation: String { String(repeating: " ", count: options.indent) }

    func keyword(_ text: String) -> String { options.uppercaseKeywords ? text.uppercased() : text.lowercased() }

    mutating func emitLine(_ text: String) {
        if pendingBlank && wroteLine { output.append(contentsOf: newline) }
        pendingBlank = false
        output.append(contentsOf: text.trimmingLineEnd().utf8)
        output.append(contentsOf: newline)
        wroteLine = true
    }

    mutating func emitRaw(_ range: SourceRange) {
        output.append(contentsOf: tree.source[range.offsets])
        wroteLine = true
    }

    mutating func run() {
        for item in tree.items {
            if formattingOff {
                if case .comment(let trivia) = item, trivia.text.trimmingBlanks() == DockerfileFormatter.onMarker {
                    formattingOff = false
                }
                if pendingBlank && wroteLine { output.append(contentsOf: newline); pendingBlank = false }
                emitRaw(item.range)
                continue
            }
            switch item {
            case .byteOrderMark(let range):
                output.append(contentsOf: tree.source[range.offsets])
            case .blankLine:
                pendingBlank = true
            case .directive(let directive):
                emitLine(tree.text(of: directive.range).trimmingLineBreak().trimmingBlanks())
                continue
            case .comment(let trivia) where !isValidUTF8(trivia.range):
                emitVerbatim(trivia.range)
            case .comment(let trivia):
                // BuildKit read this as a comment because something other than a directive came first (a blank
                // line); written where only directives precede it, it would turn on. A blank line keeps it off.
                if onlyDirectivesWritten && Self.readsAsDirective(trivia.text) {
                    output.append(contentsOf: newline)
                    pendingBlank = false
                }
                emitLine(trivia.text)
                if trivia.text.trimmingBlanks() == DockerfileFormatter.offMarker { formattingOff = true }
            case .instruction(let instruction):
                formatInstruction(instruction)
            }
            if wroteLine { onlyDirectivesWritten = false }
        }
        if formattingOff, let last = output.last, last != 0x0A { output.append(contentsOf: newline) }
    }

    /// Whether a comment line has the shape of a parser directive BuildKit knows (`# escape=…`, `#syntax = …`,
    /// `# check=…`, any case), so that it would be one at the top of a file.
    static func readsAsDirective(_ comment: String) -> Bool {
        var rest = Substring(comment)
        guard rest.first == "#" else { return false }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        let name = rest.prefix { $0.isLetter || $0.isNumber }
        rest = rest.dropFirst(name.count).drop { $0 == " " || $0 == "\t" }
        return rest.first == "=" && ["syntax", "escape", "check"].contains(name.lowercased())
    }

    /// Whether a range is valid UTF-8; text that is not is copied byte for byte, never re-encoded.
    func isValidUTF8(_ range: SourceRange) -> Bool {
        let bytes = tree.source[range.offsets]
        return String(decoding: bytes, as: UTF8.self).utf8.elementsEqual(bytes)
    }

    mutating func emitVerbatim(_ range: SourceRange) {
        if pendingBlank && wroteLine { output.append(contentsOf: newline) }
        pendingBlank = false
        emitRaw(range)
        if tree.source[range.offsets].last != 0x0A { output.append(contentsOf: newline) }
    }

    mutating func formatInstruction(_ instruction: Instruction) {
        // Text that is not UTF-8, and BuildKit's keyword-less "instructions" (a lone continuation), stay as written.
        guard isValidUTF8(instruction.range), !instruction.keyword.text.isEmpty else {
            emitVerbatim(instruction.range)
            return
        }
        if !instruction.heredocs.isEmpty {
            formatHeredocInstruction(instruction)
            return
        }
        let contentLines = instruction.lines.filter { $0.kind == .content }
        let collapsesToOneLine = instruction.isJSON || (instruction.trigger?.isJSON ?? false)
        if contentLines.count == 1 || collapsesToOneLine, let line = canonicalLine(instruction) {
            // A line that would now end with the escape character would join the next line: keep it as written.
            guard !line.trimmingLineEnd().hasSuffix(String(UnicodeScalar(tree.escapeToken))) else {
                emitVerbatim(instruction.range)
                return
            }
            // Comment lines inside a continuation stay, just above the instruction they were part of.
            for line in instruction.lines where line.kind == .comment {
                emitLine(commentText(line))
            }
            emitLine(line)
            return
        }
        formatContinuedInstruction(instruction)
    }

    func commentText(_ line: InstructionLine) -> String {
        tree.text(of: line.range).trimmingLineBreak().trimmingBlanks()
    }

    /// The instruction on one line, or nil when its parts cannot be rebuilt safely.
    func canonicalLine(_ instruction: Instruction) -> String? {
        var parts = [keyword(instruction.keyword.text)]
        if instruction.kind == .onbuild {
            guard let trigger = instruction.trigger else { return instruction.values.isEmpty ? parts[0] : nil }
            parts += flagTexts(instruction)
            guard let rest = canonicalLine(trigger) else { return nil }
            return (parts + [rest]).joined(separator: " ")
        }
        parts += flagTexts(instruction)
        guard let rest = canonicalArguments(instruction) else { return nil }
        if !rest.isEmpty {
            // `--` must stay when the arguments themselves start with dashes.
            if rest.hasPrefix("--") { parts.append("--") }
            parts.append(rest)
        }
        return parts.joined(separator: " ")
    }

    func flagTexts(_ instruction: Instruction) -> [String] {
        instruction.flags.map { tree.text(of: $0.range) }
    }

    func canonicalArguments(_ instruction: Instruction) -> String? {
        let raw = instruction.arguments?.text ?? ""
        if instruction.isJSON {
            let array = "[" + instruction.values.dropFirst(instruction.kind == .healthcheck ? 1 : 0)
                .map { JSONWriter.quoted($0.text) }.joined(separator: ", ") + "]"
            if instruction.kind == .healthcheck, let type = instruction.values.first { return type.text + " " + array }
            return array
        }
        switch instruction.kind {
        case .env, .label:
            guard let pairs = KeyValueInstruction(instruction), !pairs.pairs.isEmpty else { return raw }
            var rendered: [String] = []
            for pair in pairs.pairs {
                if pair.isLegacyForm {
                    guard isPlainKey(pair.key.text), let value = modernValue(pair.value.text) else { return raw }
                    rendered.append(pair.key.text + "=" + value)
                } else {
                    rendered.append(pair.key.text + "=" + pair.value.text)
                }
            }
            return rendered.joined(separator: " ")
        case .arg, .from, .expose, .copy, .add, .volume:
            var words = instruction.values.map(\.text)
            // BuildKit reads `AS` in any case; written in the keywords' case it agrees with FromAsCasing.
            if instruction.kind == .from, words.count == 3, words[1].lowercased() == "as" { words[1] = keyword("as") }
            let joined = words.joined(separator: " ")
            // Words that start with `[` but were not JSON (a tab inside a string, say) must not become JSON by
            // losing the blanks between them: keep the text as written.
            return joined.hasPrefix("[") ? raw : joined
        case .run:
            // One blank on each side of the shell's `&&`, `||`, `|` and `;`, as everywhere else between parts.
            let padding = Self.runOperators(instruction).padding
            guard !padding.isEmpty, let start = instruction.arguments?.textOffsets?.lowerBound else { return raw }
            return Self.removing(padding, from: raw, startingAt: start)
        default:
            return raw
        }
    }

    /// A RUN's shell operators, from one reading of its script: where its `&&` and `||` end (only those may move
    /// to the start of the next line), and the blanks that only pad its outermost `&&`, `||`, `|` and `;` (outside
    /// `$(…)`, which may sit in quotes): in a run of blanks next to one, every blank but the first. A blank after
    /// the escape character belongs to a word and stays. Both are text offsets in the instruction.
    static func runOperators(_ instruction: Instruction) -> (ends: Set<Int>, padding: Set<Int>) {
        guard instruction.kind == .run, !instruction.isJSON,
              let command = instruction.values.first, let commandStart = command.textOffsets?.lowerBound else { return ([], []) }
        let script = ShellScript(command.text)
        var ends = Set<Int>()
        for shellOperator in script.operators where shellOperator.text == "&&" || shellOperator.text == "||" {
            ends.insert(commandStart + shellOperator.offsets.upperBound)
        }
        guard instruction.heredocs.isEmpty else { return (ends, []) }
        let text = Array(instruction.text.utf8)
        func isBlank(_ index: Int) -> Bool { index >= 0 && index < text.count && (text[index] == 0x20 || text[index] == 0x09) }
        var padding = Set<Int>()
        for shellOperator in script.topLevelOperators where ["&&", "||", "|", ";"].contains(shellOperator.text) {
            let operatorStart = commandStart + shellOperator.offsets.lowerBound
            let operatorEnd = commandStart + shellOperator.offsets.upperBound
            var left = operatorStart
            while isBlank(left - 1) { left -= 1 }
            let escaped = left > 0 && (text[left - 1] == UInt8(ascii: "\\") || text[left - 1] == UInt8(ascii: "`"))
            if !escaped && operatorStart - left > 1 { padding.formUnion((left + 1)..<operatorStart) }
            var right = operatorEnd
            while isBlank(right) { right += 1 }
            if right - operatorEnd > 1 { padding.formUnion((operatorEnd + 1)..<right) }
        }
        return (ends, padding)
    }

    /// `piece` (which starts at text offset `start`) without the bytes at the offsets in `offsets`.
    static func removing(_ offsets: Set<Int>, from piece: String, startingAt start: Int) -> String {
        var bytes: [UInt8] = []
        for (index, byte) in piece.utf8.enumerated() where !offsets.contains(start + index) { bytes.append(byte) }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A key that reads the same in `KEY=value` form: no quotes, escapes or `=`.
    func isPlainKey(_ key: String) -> Bool {
        let escape = Character(UnicodeScalar(tree.escapeToken))
        return !key.isEmpty && !key.contains { $0 == "\"" || $0 == "'" || $0 == "=" || $0 == escape || $0 == "\\" || $0.isWhitespace }
    }

    /// A legacy `KEY value` value written as `KEY=value`: quoted when it holds blanks; nil when quoting could change it.
    func modernValue(_ value: String) -> String? {
        let escape = Character(UnicodeScalar(tree.escapeToken))
        if value.contains(where: { $0 == "\"" || $0 == "'" || $0 == escape || $0 == "\\" }) { return nil }
        if value.isEmpty { return nil }
        return value.contains(where: \.isWhitespace) ? "\"" + value + "\"" : value
    }

    /// Heredoc instructions: the keyword is normalised, everything else is kept byte for byte.
    mutating func formatHeredocInstruction(_ instruction: Instruction) {
        if pendingBlank && wroteLine { output.append(contentsOf: newline) }
        pendingBlank = false
        for line in instruction.lines {
            switch line.kind {
            case .heredocBody, .heredocTerminator:
                output.append(contentsOf: tree.source[line.range.offsets])
                if line.range.end.offset == tree.source.count, tree.source.last != 0x0A { output.append(contentsOf: newline) }
            case .emptyContinuation:
                continue
            case .comment:
                output.append(contentsOf: commentText(line).utf8)
                output.append(contentsOf: newline)
            case .content:
                var text = tree.text(of: line.range).trimmingLineBreak()
                if line.range.start.offset <= instruction.keyword.range.start.offset && instruction.keyword.range.end.offset <= line.range.end.offset {
                    let before = instruction.keyword.range.start.offset - line.range.start.offset
                    let prefix = String(decoding: tree.source[line.range.start.offset..<(line.range.start.offset + before)], as: UTF8.self)
                    text = String(text.dropFirst(prefix.count))
                    text = keyword(instruction.keyword.text) + String(text.dropFirst(instruction.keyword.text.count))
                }
                output.append(contentsOf: text.utf8)
                output.append(contentsOf: newline)
            }
        }
        wroteLine = true
    }

    /// Whether BuildKit splits this instruction's arguments into words, so that the amount of blank between
    /// words is not part of any value: RUN, CMD, ENTRYPOINT and HEALTHCHECK CMD in shell form (the shell splits
    /// them), FROM, ARG, COPY, ADD, EXPOSE, VOLUME, and ENV/LABEL written as `key=value` pairs. Legacy `ENV k v`,
    /// WORKDIR, USER, STOPSIGNAL, MAINTAINER and the rest take the text as it is, blanks included, and so does
    /// ONBUILD: its trigger is stored as text in the image and read again by the build that uses it.
    func splitsWords(_ instruction: Instruction) -> Bool {
        switch instruction.kind {
        case .run, .cmd, .entrypoint, .healthcheck, .from, .arg, .copy, .add, .expose, .volume:
            return true
        case .env, .label:
            guard let pairs = KeyValueInstruction(instruction) else { return false }
            return !pairs.pairs.contains { $0.isLegacyForm }
        default:
            return false
        }
    }

    /// An instruction whose value holds the blanks of its continuation lines: the keyword is normalised and
    /// every continuation line is kept byte for byte.
    mutating func formatKeepingContinuationLines(_ instruction: Instruction) {
        var lines: [String] = []
        var isFirst = true
        for line in instruction.lines {
            switch line.kind {
            case .emptyContinuation, .heredocBody, .heredocTerminator:
                continue
            case .comment:
                lines.append(indentation + commentText(line))
            case .content:
                let raw = tree.text(of: line.range).trimmingLineBreak()
                lines.append(isFirst ? firstLineBody(raw, instruction: instruction, line: line) : raw)
                isFirst = false
            }
        }
        for line in lines { emitLine(line) }
    }

    /// An instruction over several lines: lines are re-indented only where a line break is outside quotes and
    /// BuildKit splits words there.
    mutating func formatContinuedInstruction(_ instruction: Instruction) {
        // Where BuildKit does not split words, or a quote is left open (the blanks may all be inside it), the words
        // cannot be told apart: the lines stay as they are.
        let quoted = splitsWords(instruction) ? QuoteScanner.insideQuotes(Array(instruction.text.utf8), escapeToken: tree.escapeToken) : [true]
        guard quoted.last != true else {
            formatKeepingContinuationLines(instruction)
            return
        }
        let isShellRun = instruction.kind == .run && !instruction.isJSON
        // Text that merely looks like an operator, inside quotes or a word, stays where it is.
        let (operatorEnds, padding) = Self.runOperators(instruction)
        let escapeText = String(UnicodeScalar(tree.escapeToken))
        var lines: [String] = []
        var pendingOperator: String?
        var operatorLine = 0
        var previousHadTrailingBlank = false
        var segmentIndex = 0
        var isFirst = true
        for line in instruction.lines {
            switch line.kind {
            case .emptyContinuation, .heredocBody, .heredocTerminator:
                continue
            case .comment:
                lines.append(indentation + commentText(line))
                continue
            case .content:
                break
            }
            // The segment this line contributes, if any.
            let segments = instruction.textSegments
            let segment = segmentIndex < segments.count && (line.range.start.offset..<line.range.end.offset).contains(segments[segmentIndex].sourceOffset)
                ? segments[segmentIndex] : nil
            if segment != nil { segmentIndex += 1 }
            var (body, continuation) = split(line, at: segment)
            let trailingBlankCount = body.utf8.count - body.trimmingTrailingBlanks().utf8.count
            if let segment, !padding.isEmpty {
                let pieceStart = segment.sourceOffset - line.range.start.offset
                let prefix = String(decoding: Array(body.utf8).prefix(pieceStart), as: UTF8.self)
                body = prefix + Self.removing(padding, from: String(decoding: Array(body.utf8).dropFirst(pieceStart), as: UTF8.self), startingAt: segment.textOffset)
            }
            let startsInsideQuotes = segment.map { quoted[min($0.textOffset, quoted.count - 1)] } ?? true
            let endOffset = segment.map { $0.textOffset + $0.length } ?? 0
            let endsInsideQuotes = segment == nil ? true : (endOffset < quoted.count ? quoted[endOffset] : false)
            if isFirst {
                body = firstLineBody(body, instruction: instruction, line: line)
                isFirst = false
            } else if !startsInsideQuotes, body.first == " " || body.first == "\t" || previousHadTrailingBlank,
                      pendingOperator == nil || !["&", "|", ";"].contains(body.trimmingLeadingBlanks().first ?? " ") {
                // Outside quotes, and a blank separates this line from the previous one: only the amount of blank changes.
                body = indentation + (pendingOperator.map { $0 + " " } ?? "") + body.trimmingLeadingBlanks()
                pendingOperator = nil
            } else if let operatorText = pendingOperator {
                // The operator could not move here; put it back where it was.
                lines[operatorLine] = lines[operatorLine].replacingSuffix(" " + escapeText, with: " \(operatorText) " + escapeText)
                pendingOperator = nil
            }
            if !continuation.isEmpty {
                let trimmed = body.trimmingTrailingBlanks()
                previousHadTrailingBlank = trimmed.count < body.count
                if !endsInsideQuotes, previousHadTrailingBlank {
                    // A blank already separates this line from the next, so the layout can change.
                    body = trimmed
                    let trimmedPieceEnd = (segment?.textOffset ?? 0) + (segment?.length ?? 0) - (segment == nil ? 0 : trailingBlankCount)
                    if isShellRun, operatorEnds.contains(trimmedPieceEnd), let operatorText = ["&&", "||"].first(where: { body.hasSuffix(" " + $0) }),
                       !String(body.dropLast(operatorText.count)).trimmingTrailingBlanks().trimmingLeadingBlanks().isEmpty {
                        body = String(body.dropLast(operatorText.count)).trimmingTrailingBlanks()
                        pendingOperator = operatorText
                        operatorLine = lines.count
                    }
                    continuation = " " + String(continuation.prefix(1))
                } else {
                    continuation = String(continuation.prefix(1))
                }
                lines.append(body + continuation)
            } else {
                previousHadTrailingBlank = false
                lines.append(endsInsideQuotes ? body : body.trimmingTrailingBlanks())
            }
        }
        if let operatorText = pendingOperator, operatorLine < lines.count {
            lines[operatorLine] = lines[operatorLine].replacingSuffix(" " + escapeText, with: " \(operatorText) " + escapeText)
        }
        emit(lines, of: instruction)
    }

    /// The instruction's new lines; as written when the last would end in the escape (it would join the next line).
    mutating func emit(_ lines: [String], of instruction: Instruction) {
        if let last = lines.last, last.trimmingLineEnd().hasSuffix(String(UnicodeScalar(tree.escapeToken))) {
            emitVerbatim(instruction.range)
            return
        }
        for line in lines { emitLine(line) }
    }

    /// A line of an instruction as the text piece it contributes (`segment`) and what follows the piece (the
    /// continuation and any blanks); a line without a piece is all body.
    func split(_ line: InstructionLine, at segment: TextSegment?) -> (body: String, continuation: String) {
        let raw = tree.text(of: line.range).trimmingLineBreak()
        guard let segment else { return (raw, "") }
        let pieceEnd = segment.sourceOffset + segment.length - line.range.start.offset
        let bytes = Array(raw.utf8)
        return (String(decoding: bytes[0..<min(pieceEnd, bytes.count)], as: UTF8.self), String(decoding: bytes[min(pieceEnd, bytes.count)...], as: UTF8.self))
    }

    /// The first line with its keyword normalised and one space after it (when a space was there).
    func firstLineBody(_ body: String, instruction: Instruction, line: InstructionLine) -> String {
        var rest = Substring(body.trimmingLeadingBlanks())
        guard rest.hasPrefix(instruction.keyword.text) else { return body }
        rest = rest.dropFirst(instruction.keyword.text.count)
        let hadSpace = rest.first == " " || rest.first == "\t"
        let remainder = rest.trimmingLeadingBlanks()
        if remainder.isEmpty { return keyword(instruction.keyword.text) + (hadSpace ? " " : "") }
        return keyword(instruction.keyword.text) + (hadSpace ? " " : "") + remainder
    }
}

/// Which bytes of an instruction's text are inside quotes, as BuildKit's word splitting sees them.
enum QuoteScanner {
    static func insideQuotes(_ text: [UInt8], escapeToken: UInt8) -> [Bool] {
        var result = [Bool](repeating: false, count: text.count + 1)
        var quote: UInt8 = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            if quote == 0 {
                if byte == escapeToken {
                    if index + 1 < text.count { result[index + 1] = true }
                    index += 2
                    continue
                }
                if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") { quote = byte }
            } else {
                result[index] = true
                if byte == escapeToken && quote == UInt8(ascii: "\"") && index + 1 < text.count {
                    result[index + 1] = true
                    index += 2
                    continue
                }
                if byte == quote { quote = 0 }
            }
            index += 1
        }
        if quote != 0 { result[text.count] = true }
        return result
    }
}
