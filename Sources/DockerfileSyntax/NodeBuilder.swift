import Support
/// A piece of an instruction's logical text.
struct TextPiece {
    /// The text when it differs from the piece's bytes (quotes or escapes resolved, JSON decoded); nil when the piece
    /// is its bytes verbatim, made into a string only if a long token cannot point at the source instead.
    var decoded: String?
    var offsets: Range<Int>

    init(text: String, offsets: Range<Int>) {
        decoded = text
        self.offsets = offsets
    }

    init(verbatim offsets: Range<Int>) {
        decoded = nil
        self.offsets = offsets
    }

    /// The piece's text, reading verbatim pieces from `text`, the instruction's logical text.
    func string(in text: UnsafeBufferPointer<UInt8>) -> String {
        decoded ?? GoText.string(text[offsets])
    }
}

struct FlagPiece {
    var piece: TextPiece
    var name: String
    var value: String?
}

/// BuildKit's node for one instruction, with text offsets for every part.
struct NodeParts {
    var keyword: TextPiece
    var kind: InstructionKind
    var flags: [FlagPiece] = []
    var arguments: TextPiece?
    var values: [TextPiece] = []
    /// The one value is the arguments' own piece (shell form and single-value instructions); `values` stays empty.
    var valuesAreArguments = false
    var separators: [String] = []
    var isJSON = false
    var textOffsets: Range<Int>
    private var subNodeStorage: [NodeParts] = []

    var subNode: NodeParts? {
        get { subNodeStorage.first }
        set { subNodeStorage = newValue.map { [$0] } ?? [] }
    }

    init(keyword: TextPiece, kind: InstructionKind, textOffsets: Range<Int>) {
        self.keyword = keyword
        self.kind = kind
        self.textOffsets = textOffsets
    }

    /// Whether BuildKit reads heredocs for this instruction: ADD, COPY and RUN (also under ONBUILD) in shell form.
    var canContainHeredoc: Bool {
        // Read in place: a copy of the parts would retain every piece, once per instruction.
        if kind == .onbuild, !subNodeStorage.isEmpty { return Self.readsHeredocs(subNodeStorage[0].kind, isJSON: subNodeStorage[0].isJSON) }
        return Self.readsHeredocs(kind, isJSON: isJSON)
    }

    private static func readsHeredocs(_ kind: InstructionKind, isJSON: Bool) -> Bool {
        switch kind {
        case .add, .copy, .run: return !isJSON
        default: return false
        }
    }

    /// A stand-in for an instruction BuildKit rejects: the keyword only.
    static func failed(text buffer: UnsafeBufferPointer<UInt8>) -> NodeParts {
        let trimmed = GoText.trimSpace(buffer, 0..<buffer.count)
        var end = trimmed.lowerBound
        while end < trimmed.upperBound && !GoText.isASCIIBlank(buffer[end]) { end += 1 }
        let keyword = TextPiece(verbatim: trimmed.lowerBound..<end)
        let kind = InstructionKind(keyword: buffer[trimmed.lowerBound..<end])
        return NodeParts(keyword: keyword, kind: kind, textOffsets: 0..<buffer.count)
    }
}

struct NodeFailure: Error {
    var message: String
}

/// BuildKit's newNodeFromLine and its line parsers, over a buffer holding an instruction's logical text.
struct NodeBuilder {
    let text: UnsafeBufferPointer<UInt8>
    let escapeToken: UInt8

    func piece(_ offsets: Range<Int>) -> TextPiece {
        TextPiece(verbatim: offsets)
    }

    /// Makes `offsets` the one value: the arguments themselves when they are the same verbatim text (RUN, CMD,
    /// USER, …), kept once.
    func setOneValue(_ offsets: Range<Int>, of parts: inout NodeParts) {
        if let arguments = parts.arguments, arguments.offsets == offsets, arguments.decoded == nil {
            parts.valuesAreArguments = true
        } else {
            parts.values = [piece(offsets)]
        }
    }

    /// How deeply ONBUILD may nest (BuildKit refuses even two levels at build time; this bounds recursion).
    static let maximumTriggerNesting = 16

    func build(_ offsets: Range<Int>, depth: Int = 0) throws(NodeFailure) -> NodeParts {
        // splitCommand: trim, then split once at the first run of [\t\v\f\r ].
        let trimmed = GoText.trimSpace(text, offsets)
        var keywordEnd = trimmed.lowerBound
        while keywordEnd < trimmed.upperBound && !GoText.isASCIIBlank(text[keywordEnd]) { keywordEnd += 1 }
        let keyword = piece(trimmed.lowerBound..<keywordEnd)
        let kind = InstructionKind(keyword: text[trimmed.lowerBound..<keywordEnd])
        var parts = NodeParts(keyword: keyword, kind: kind, textOffsets: offsets)
        var argumentsRange = keywordEnd..<keywordEnd
        if keywordEnd < trimmed.upperBound {
            var restStart = keywordEnd
            while restStart < trimmed.upperBound && GoText.isASCIIBlank(text[restStart]) { restStart += 1 }
            let (remainder, flags) = extractFlags(restStart..<trimmed.upperBound)
            parts.flags = flags
            argumentsRange = GoText.trimSpace(text, remainder)
        }
        if !argumentsRange.isEmpty { parts.arguments = piece(argumentsRange) }
        try parseArguments(argumentsRange, into: &parts, depth: depth)
        return parts
    }

    /// BuildKit's extractBuilderFlags: leading `--words`, read byte by byte (bytes above 0x7F are taken as Latin-1).
    func extractFlags(_ range: Range<Int>) -> (remainder: Range<Int>, flags: [FlagPiece]) {
        var flags: [FlagPiece] = []
        var word: [UInt8] = []
        var wordStart = range.lowerBound
        var inWord = false
        var quote: UInt8 = 0
        var inQuote = false
        var blankOK = false
        var position = range.lowerBound
        let end = range.upperBound

        func appendByte(_ byte: UInt8) {
            if byte < 0x80 {
                word.append(byte)
            } else {
                GoText.appendUTF8(UInt32(byte), to: &word)
            }
        }
        func finishWord(at wordEnd: Int) {
            flags.append(makeFlag(word, wordStart..<wordEnd))
        }
        // One byte inside quotes: the closing quote ends them; an escape takes the next byte (or ends them at the end).
        func readQuoted(_ byte: UInt8) {
            if byte == quote || (byte == escapeToken && position + 1 == end) {
                inQuote = false
                inWord = true
                position += 1
                return
            }
            if byte == escapeToken { position += 1 }
            appendByte(text[position])
            position += 1
        }

        while position <= end {
            let byte: UInt8 = position < end ? text[position] : 0
            if !inWord && !inQuote {
                if position == end { break }
                if GoText.isSpaceByte(byte) { position += 1; continue }
                if byte != UInt8(ascii: "-") || position + 1 == end || text[position + 1] != UInt8(ascii: "-") {
                    return (position..<end, flags)
                }
                inWord = true
                wordStart = position
            }
            if position == end {
                let isDoubleDash = word == [0x2D, 0x2D]
                if !isDoubleDash && (blankOK || !word.isEmpty) { finishWord(at: position) }
                break
            }
            if inQuote {
                readQuoted(byte)
                continue
            }
            // In a word.
            if GoText.isSpaceByte(byte) {
                if word == [0x2D, 0x2D] { return (position..<end, flags) }
                if blankOK || !word.isEmpty { finishWord(at: position) }
                word.removeAll()
                blankOK = false
                inWord = false
                position += 1
                continue
            }
            if byte == UInt8(ascii: "'") || byte == UInt8(ascii: "\"") {
                (quote, blankOK, inQuote, inWord) = (byte, true, true, false)
                position += 1
                continue
            }
            var character = byte
            if byte == escapeToken {
                if position + 1 == end { position += 1; continue }
                position += 1
                character = text[position]
            }
            appendByte(character)
            position += 1
        }
        return (end..<end, flags)
    }

    func makeFlag(_ word: [UInt8], _ offsets: Range<Int>) -> FlagPiece {
        let flagText = GoText.string(word)
        var nameBytes = word[...]
        while nameBytes.first == UInt8(ascii: "-") { nameBytes = nameBytes.dropFirst() }
        if let equals = nameBytes.firstIndex(of: UInt8(ascii: "=")) {
            return FlagPiece(
                piece: TextPiece(text: flagText, offsets: offsets), name: GoText.string(nameBytes[..<equals]),
                value: GoText.string(nameBytes[(equals + 1)...]))
        }
        return FlagPiece(piece: TextPiece(text: flagText, offsets: offsets), name: GoText.string(nameBytes), value: nil)
    }

    func parseArguments(_ rest: Range<Int>, into parts: inout NodeParts, depth: Int) throws(NodeFailure) {
        switch parts.kind {
        case .add, .copy, .volume:
            try parseMaybeJSONToList(rest, into: &parts)
        case .arg:
            parts.values = parseWords(rest).map(\.piece)
        case .cmd, .entrypoint, .run, .shell:
            try parseMaybeJSON(rest, into: &parts)
        case .env, .label:
            try parseNameValue(rest, into: &parts)
        case .expose, .from:
            parts.values = splitOnBlanks(rest)
        case .healthcheck:
            try parseHealthcheck(rest, into: &parts)
        case .maintainer, .stopsignal, .user, .workdir:
            if !rest.isEmpty { setOneValue(rest, of: &parts) }
        case .onbuild:
            guard !rest.isEmpty else { return }
            guard depth < NodeBuilder.maximumTriggerNesting else {
                throw NodeFailure(message: "ONBUILD nested more than \(NodeBuilder.maximumTriggerNesting) levels deep")
            }
            parts.subNode = try build(rest, depth: depth + 1)
        case .unknown:
            // BuildKit keeps unknown instructions with one empty value.
            parts.values = [TextPiece(text: "", offsets: rest.lowerBound..<rest.lowerBound)]
        }
    }

    /// Splits on runs of `[\t\v\f\r ]` (BuildKit's parseStringsWhitespaceDelimited).
    func splitOnBlanks(_ range: Range<Int>) -> [TextPiece] {
        guard !range.isEmpty else { return [] }
        var pieces: [TextPiece] = []
        pieces.reserveCapacity(4)
        var start = range.lowerBound
        var index = range.lowerBound
        while index < range.upperBound {
            if GoText.isASCIIBlank(text[index]) {
                pieces.append(piece(start..<index))
                while index < range.upperBound && GoText.isASCIIBlank(text[index]) { index += 1 }
                start = index
            } else {
                index += 1
            }
        }
        pieces.append(piece(start..<range.upperBound))
        return pieces
    }

    func parseJSON(_ rest: Range<Int>, into parts: inout NodeParts) throws(NodeFailure) -> Bool {
        switch JSONArrayDecoder.decode(text, rest) {
        case .notAnArray, .invalid:
            return false
        case .notAllStrings:
            throw NodeFailure(message: "when using JSON array syntax, arrays must be comprised of strings only")
        case .strings(let elements):
            parts.values = elements.map { element in
                TextPiece(text: element.value, offsets: (rest.lowerBound + element.offsets.lowerBound)..<(rest.lowerBound + element.offsets.upperBound))
            }
            parts.isJSON = true
            return true
        }
    }

    func parseMaybeJSON(_ rest: Range<Int>, into parts: inout NodeParts) throws(NodeFailure) {
        guard !rest.isEmpty else { return }
        if try parseJSON(rest, into: &parts) { return }
        setOneValue(rest, of: &parts)
    }

    func parseMaybeJSONToList(_ rest: Range<Int>, into parts: inout NodeParts) throws(NodeFailure) {
        if try parseJSON(rest, into: &parts) { return }
        parts.values = splitOnBlanks(rest)
    }

    func parseHealthcheck(_ rest: Range<Int>, into parts: inout NodeParts) throws(NodeFailure) {
        var separator = rest.lowerBound
        while separator < rest.upperBound && !GoText.isSpaceByte(text[separator]) { separator += 1 }
        var next = separator
        while next < rest.upperBound && GoText.isSpaceByte(text[next]) { next += 1 }
        guard separator > rest.lowerBound else { return }
        let type = piece(rest.lowerBound..<separator)
        var command = NodeParts(keyword: type, kind: .cmd, textOffsets: rest)
        try parseMaybeJSON(next..<rest.upperBound, into: &command)
        parts.values = [type] + command.values
        parts.isJSON = command.isJSON
    }

    func parseNameValue(_ rest: Range<Int>, into parts: inout NodeParts) throws(NodeFailure) {
        let words = parseWords(rest)
        guard let first = words.first else { return }
        let keyword = parts.kind == .env ? "ENV" : "LABEL"
        if !first.containsEquals {
            // Legacy form: KEY value, split once at the first blank run.
            var keyEnd = rest.lowerBound
            while keyEnd < rest.upperBound && !GoText.isASCIIBlank(text[keyEnd]) { keyEnd += 1 }
            guard keyEnd < rest.upperBound else { throw NodeFailure(message: "\(keyword) must have two arguments") }
            var valueStart = keyEnd
            while valueStart < rest.upperBound && GoText.isASCIIBlank(text[valueStart]) { valueStart += 1 }
            parts.values = [piece(rest.lowerBound..<keyEnd), piece(valueStart..<rest.upperBound)]
            parts.separators = [""]
            return
        }
        parts.values.reserveCapacity(2 * words.count)
        parts.separators.reserveCapacity(words.count)
        for word in words {
            guard word.containsEquals, let equals = word.rawEquals else {
                throw NodeFailure(message: "Syntax error - can't find = in \(Quoting.go(word.piece.string(in: text))). Must be of the form: name=value")
            }
            if word.piece.decoded == nil {
                // The word is its bytes, so its first `=` is the raw one.
                parts.values.append(TextPiece(verbatim: word.piece.offsets.lowerBound..<equals))
                parts.values.append(TextPiece(verbatim: (equals + 1)..<word.piece.offsets.upperBound))
                parts.separators.append("=")
                continue
            }
            let wordText = word.piece.string(in: text)
            let textEquals = wordText.utf8.firstIndex(of: UInt8(ascii: "="))
            let keyText = textEquals.map { String(decoding: wordText.utf8[..<$0], as: UTF8.self) } ?? ""
            let valueText = textEquals.map { String(decoding: wordText.utf8[wordText.utf8.index(after: $0)...], as: UTF8.self) } ?? ""
            parts.values.append(TextPiece(text: keyText, offsets: word.piece.offsets.lowerBound..<equals))
            parts.values.append(TextPiece(text: valueText, offsets: (equals + 1)..<word.piece.offsets.upperBound))
            parts.separators.append("=")
        }
    }

    struct Word {
        var piece: TextPiece
        /// Offset of the first `=` in the raw text of the word.
        var rawEquals: Int?
        var containsEquals: Bool { rawEquals != nil }
    }

    /// BuildKit's parseWords: splits on Unicode space outside quotes, keeping quotes and escapes in the words.
    /// A word's text is its bytes except where BuildKit drops an escape at the very end or replaces invalid UTF-8;
    /// other words are verbatim pieces, made into strings only if needed.
    func parseWords(_ rest: Range<Int>) -> [Word] {
        // Room for a few words at once: the list is dropped once the instruction is built, and growing it one word at a
        // time reallocates it at each of the first few.
        var words: [Word] = []
        words.reserveCapacity(4)
        var wordStart = rest.lowerBound
        var rawEquals: Int?
        var isVerbatim = true
        var droppedTrailingEscape = false
        var inWord = false
        var inQuote = false
        var quote: UInt32 = 0
        var blankOK = false
        var position = rest.lowerBound
        let end = rest.upperBound

        func finish(_ wordEnd: Int) {
            // BuildKit keeps a word that had quotes or any text; only a dropped trailing escape leaves one empty.
            guard blankOK || wordEnd - wordStart > (droppedTrailingEscape ? 1 : 0) else { return }
            let piece = isVerbatim && !droppedTrailingEscape
                ? TextPiece(verbatim: wordStart..<wordEnd)
                : TextPiece(text: decodedWord(wordStart..<(droppedTrailingEscape ? wordEnd - 1 : wordEnd)), offsets: wordStart..<wordEnd)
            words.append(Word(piece: piece, rawEquals: rawEquals))
        }
        // Takes the rune at `position` into the word, noting the first `=` and whether it is valid UTF-8 (invalid
        // bytes become U+FFFD).
        func take(_ scalar: UInt32, _ width: Int) {
            if scalar == 0x3D && rawEquals == nil { rawEquals = position }
            if scalar == GoText.replacementCharacter && width == 1 { isVerbatim = false }
            position += width
        }
        // Takes an escape and the rune after it.
        func takeEscaped(_ width: Int) {
            position += width
            if position < end {
                let (escaped, escapedWidth) = GoText.decodeRune(text, at: position, end: end)
                take(escaped, escapedWidth)
            }
        }

        let escapeByte = escapeToken
        while position < end {
            // Most of a word is ASCII that is neither a quote, the escape nor (outside quotes) a space: one step each.
            let byte = text[position]
            if inWord && byte < 0x80 && byte != 0x22 && byte != 0x27 && byte != escapeByte
                && (inQuote || !(byte == 0x20 || (byte >= 0x09 && byte <= 0x0D))) {
                if byte == 0x3D && rawEquals == nil { rawEquals = position }
                position += 1
                continue
            }
            let (scalar, width) = GoText.decodeRune(text, at: position, end: end)
            if !inWord && !inQuote {
                if GoText.isSpace(scalar) { position += width; continue }
                inWord = true
                wordStart = position
                rawEquals = nil
                isVerbatim = true
                droppedTrailingEscape = false
            }
            if inWord && !inQuote {
                if GoText.isSpace(scalar) {
                    finish(position)
                    inWord = false
                    blankOK = false
                    position += width
                    continue
                }
                if scalar == 0x27 || scalar == 0x22 {
                    quote = scalar
                    blankOK = true
                    inQuote = true
                }
                if scalar == UInt32(escapeToken) {
                    if position + width == end { droppedTrailingEscape = true; position += width; continue }
                    takeEscaped(width)
                    continue
                }
                take(scalar, width)
                continue
            }
            // In quotes.
            if scalar == quote { inQuote = false }
            if scalar == UInt32(escapeToken) && quote != 0x27 {
                if position + width == end {
                    droppedTrailingEscape = true
                    inQuote = false
                    position += width
                    continue
                }
                takeEscaped(width)
                continue
            }
            take(scalar, width)
        }
        if inWord || inQuote { finish(end) }
        return words
    }

    /// A word's text where it is not its bytes: each rune of `range` as decoded, invalid UTF-8 as U+FFFD.
    func decodedWord(_ range: Range<Int>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        var position = range.lowerBound
        while position < range.upperBound {
            let (scalar, width) = GoText.decodeRune(text, at: position, end: range.upperBound)
            GoText.appendUTF8(scalar, to: &bytes)
            position += width
        }
        return GoText.string(bytes)
    }
}
