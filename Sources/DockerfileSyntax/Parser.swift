import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
/// Parses Dockerfiles into lossless syntax trees, following BuildKit's parser rule for rule.
public enum DockerfileParser {
    /// BuildKit's scanner refuses a line longer than this many bytes, its line break included.
    public static let maximumLineLength = 65_536

    /// Parses UTF-8 bytes. Never fails: problems are reported in the tree's `errors`.
    public static func parse(_ source: [UInt8]) -> DockerfileSyntaxTree {
        source.withUnsafeBufferPointer { buffer in
            var parser = ParserRun(bytes: buffer, source: source, lineTable: LineTable(source))
            parser.run()
            return parser.tree
        }
    }

    /// Parses a string.
    public static func parse(_ text: String) -> DockerfileSyntaxTree {
        parse(Array(text.utf8))
    }
}

private let hash = UInt8(ascii: "#")
private let newline = UInt8(ascii: "\n")
private let carriageReturn = UInt8(ascii: "\r")
private let backslash = UInt8(ascii: "\\")
private let backtick = UInt8(ascii: "`")

/// The state of one parse: BuildKit's Parse loop, recording byte ranges as it goes.
struct ParserRun {
    let bytes: UnsafeBufferPointer<UInt8>
    /// The same bytes as an array, which instructions keep a reference to.
    let source: [UInt8]
    let lineTable: LineTable
    var items: [SyntaxItem] = []
    var errors: [SyntaxError] = []
    var warnings: [SyntaxWarning] = []
    var escapeToken = backslash
    var directivesDone = false
    var seenDirectives: Set<String> = []
    var position = 0
    var sawInstruction = false
    // Reused from instruction to instruction, so that a multi-line one allocates only its exact-size results.
    var lineScratch: [PackedLine] = []
    var segmentScratch: [TextSegment] = []
    var textScratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, source: [UInt8], lineTable: LineTable) {
        self.bytes = bytes
        self.source = source
        self.lineTable = lineTable
        // At most one item a line. A large reservation is mapped, not touched, until used: the items are never copied.
        items.reserveCapacity(lineTable.lineCount + 1)
    }

    /// The tree of what was read.
    var tree: DockerfileSyntaxTree {
        DockerfileSyntaxTree(source: source, items: items, errors: errors, warnings: warnings, escapeToken: escapeToken, lineTable: lineTable)
    }

    /// The line index of the last range looked up: the parser moves forward, so the next lookup starts there.
    var lineHint = 0

    mutating func range(_ offsets: Range<Int>) -> SourceRange {
        let result = lineTable.range(offsets, hint: lineHint)
        lineHint = result.start.line - 1
        return result
    }

    /// The physical line starting at `start`: its end (after the line break) and its text end (before trailing CR/LF).
    func line(at start: Int) -> (end: Int, textEnd: Int) {
        let count = bytes.count
        var end = count
        if start < count, let base = bytes.baseAddress, let found = memchr(base + start, Int32(newline), count - start) {
            end = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
        }
        var textEnd = end
        while textEnd > start && (bytes[textEnd - 1] == newline || bytes[textEnd - 1] == carriageReturn) { textEnd -= 1 }
        return (end, textEnd)
    }

    mutating func checkLength(_ start: Int, _ end: Int) {
        let length = end - start
        let endsWithNewline = end > start && bytes[end - 1] == newline
        if length > DockerfileParser.maximumLineLength || (!endsWithNewline && length >= DockerfileParser.maximumLineLength) {
            errors.append(SyntaxError(
                message: "dockerfile line greater than max allowed size of \(DockerfileParser.maximumLineLength - 1)",
                range: range(start..<end)))
        }
    }

    func isComment(_ start: Int, _ end: Int) -> Bool {
        let first = GoText.skipLeadingSpace(bytes, start..<end)
        return first < end && bytes[first] == hash
    }

    /// BuildKit's line-continuation test: the escape character is the last non-blank character and is not itself escaped.
    func trimContinuation(_ start: Int, _ end: Int) -> (contentEnd: Int, continues: Bool) {
        var last = end
        while last > start && (bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09) { last -= 1 }
        guard last > start, bytes[last - 1] == escapeToken else { return (end, false) }
        let escapeIndex = last - 1
        if escapeIndex == start { return (start, true) }
        if bytes[escapeIndex - 1] == escapeToken { return (end, false) }
        return (escapeIndex, true)
    }

    mutating func run() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            items.append(.byteOrderMark(range(0..<3)))
            position = 3
        }
        while position < bytes.count { parseItem() }
        if !sawInstruction {
            // BuildKit names the last line it read.
            let lastLineStart = lineTable.lineStart(lineTable.lineCount - 1)
            errors.append(SyntaxError(message: "file with no instructions", range: range(lastLineStart..<bytes.count)))
        }
    }

    /// Reads the item that starts at `position` (a line start): a directive, comment or blank line, or an instruction
    /// with its continuation lines and heredocs.
    mutating func parseItem() {
        let lineStart = position
        let (lineEnd, textEnd) = line(at: lineStart)
        checkLength(lineStart, lineEnd)
        position = lineEnd
        let trimmedStart = GoText.skipLeadingSpace(bytes, lineStart..<textEnd)
        let commentLine = trimmedStart < textEnd && bytes[trimmedStart] == hash
        var directive: ParserDirective?
        if !directivesDone {
            directive = parseDirective(trimmedStart, textEnd, lineStart: lineStart, lineEnd: lineEnd)
        }
        if commentLine {
            if let directive {
                items.append(.directive(directive))
            } else {
                items.append(.comment(Trivia(range: range(lineStart..<lineEnd), source: source)))
            }
            return
        }
        let (contentEnd, continues) = trimContinuation(trimmedStart, textEnd)
        if !continues && contentEnd == trimmedStart {
            items.append(.blankLine(Trivia(range: range(lineStart..<lineEnd), source: source)))
            return
        }
        parseInstruction(lineStart: lineStart, contentStart: trimmedStart, contentEnd: contentEnd, continues: continues)
    }

    /// BuildKit's DirectiveParser.ParseLine for one line (already stripped of leading space and line break).
    mutating func parseDirective(_ start: Int, _ end: Int, lineStart: Int, lineEnd: Int) -> ParserDirective? {
        guard start < end, bytes[start] == hash else {
            directivesDone = true
            return nil
        }
        var index = GoText.skipLeadingSpace(bytes, (start + 1)..<end)
        // ^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$ where \s is [\t\n\f\r ].
        func isRegexSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        let nameStart = index
        guard index < end, isLetter(bytes[index]) else { directivesDone = true; return nil }
        while index < end && (isLetter(bytes[index]) || (bytes[index] >= 0x30 && bytes[index] <= 0x39)) { index += 1 }
        let nameEnd = index
        while index < end && isRegexSpace(bytes[index]) { index += 1 }
        guard index < end, bytes[index] == UInt8(ascii: "=") else { directivesDone = true; return nil }
        index += 1
        let afterEquals = index
        guard afterEquals < end else { directivesDone = true; return nil }
        while index < end && isRegexSpace(bytes[index]) { index += 1 }
        // The value needs at least one character, so a run of spaces gives its last character back.
        if index == end { index = end - 1 }
        var valueEnd = end
        while valueEnd > index + 1 && isRegexSpace(bytes[valueEnd - 1]) { valueEnd -= 1 }
        let valueStart = index
        let name = GoText.string(bytes[nameStart..<nameEnd]).asciiLowercased()
        guard name == "syntax" || name == "escape" || name == "check" else {
            directivesDone = true
            return nil
        }
        let value = GoText.string(bytes[valueStart..<valueEnd])
        let directive = ParserDirective(name: name, value: value, range: range(lineStart..<lineEnd), valueRange: range(valueStart..<valueEnd))
        if seenDirectives.contains(name) {
            errors.append(SyntaxError(message: "only one \(name) parser directive can be used", range: range(lineStart..<end)))
            return nil
        }
        seenDirectives.insert(name)
        if name == "escape" {
            if value == "`" {
                escapeToken = backtick
            } else if value == "\\" {
                escapeToken = backslash
            } else {
                errors.append(SyntaxError(
                    message: "invalid escape token '\(value)' does not match ` or \\", range: range(valueStart..<valueEnd)))
                return nil
            }
        }
        return directive
    }

    mutating func parseInstruction(lineStart: Int, contentStart: Int, contentEnd: Int, continues firstContinues: Bool) {
        sawInstruction = true
        // Most instructions are one line of one segment: the arrays are made only when a second one comes.
        let firstLine = PackedLine(end: position, kind: .content)
        let firstSegment = TextSegment(textOffset: 0, sourceOffset: contentStart, length: contentEnd - contentStart)
        var lines = lineScratch
        lineScratch = []
        lines.removeAll(keepingCapacity: true)
        var segments = segmentScratch
        segmentScratch = []
        segments.removeAll(keepingCapacity: true)
        func addLine(_ line: PackedLine) {
            if lines.isEmpty { lines.append(firstLine) }
            lines.append(line)
        }
        var textLength = contentEnd - contentStart
        var continues = firstContinues
        var hasEmptyContinuation = false
        var lastContentLine = lineStart..<position
        while continues && position < bytes.count {
            let start = position
            let (end, textEnd) = line(at: start)
            checkLength(start, end)
            position = end
            if isComment(start, end) {
                addLine(PackedLine(end: end, kind: .comment))
                continue
            }
            if GoText.skipLeadingSpace(bytes, start..<textEnd) == textEnd {
                addLine(PackedLine(end: end, kind: .emptyContinuation))
                hasEmptyContinuation = true
                continue
            }
            let (pieceEnd, more) = trimContinuation(start, textEnd)
            continues = more
            addLine(PackedLine(end: end, kind: .content))
            lastContentLine = start..<end
            if pieceEnd > start {
                if segments.isEmpty { segments.append(firstSegment) }
                segments.append(TextSegment(textOffset: textLength, sourceOffset: start, length: pieceEnd - start))
                textLength += pieceEnd - start
            }
        }
        let startLine = lineTable.position(of: lineStart, hint: lineHint).line
        let segmentList: TextSegments = segments.isEmpty ? .one(firstSegment) : .many(Self.exactCopy(segments))
        let map = TextMap(segments: segmentList, lineTable: lineTable, lineHint: startLine - 1)
        let pending = PendingInstruction(
            lineStart: lineStart, startLine: startLine, firstLine: firstLine, segments: segmentList, map: map,
            emptyContinuation: hasEmptyContinuation ? lastContentLine : nil)
        // A one-line instruction's text is its bytes in the source, read in place rather than copied.
        if segments.isEmpty {
            finishInstruction(pending, lines: &lines, text: UnsafeBufferPointer(rebasing: bytes[contentStart..<contentEnd]))
        } else {
            var text = textScratch
            textScratch = []
            text.removeAll(keepingCapacity: true)
            text.reserveCapacity(textLength)
            TextSegment.gather(segments, in: 0..<textLength, from: bytes, into: &text)
            text.withUnsafeBufferPointer { finishInstruction(pending, lines: &lines, text: $0) }
            textScratch = text
        }
        lineScratch = lines
        segmentScratch = segments
    }

    /// The line of a non-empty range's last byte: the line before its end when it ends after a line break.
    static func lastLine(of range: SourceRange) -> Int {
        range.end.column == 1 && range.end.offset > range.start.offset ? range.end.line - 1 : range.end.line
    }

    /// A copy of `elements` holding exactly their count, for the tree (a scratch array's spare room is not).
    static func exactCopy<Element>(_ elements: [Element]) -> [Element] {
        elements.withUnsafeBufferPointer { Array($0) }
    }

    /// Whether `text` holds `<<`, without which no heredoc is read.
    static func containsHeredocOpener(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        guard text.count > 1 else { return false }
        for index in 1..<text.count where text[index] == 0x3C && text[index - 1] == 0x3C { return true }
        return false
    }

    /// What `parseInstruction` has read of an instruction's lines before building its node.
    struct PendingInstruction {
        let lineStart: Int
        let startLine: Int
        let firstLine: PackedLine
        let segments: TextSegments
        let map: TextMap
        /// The last content line, when the instruction has empty continuation lines (BuildKit warns).
        let emptyContinuation: Range<Int>?
    }

    /// Builds the node of an instruction whose logical text is `text`, reads its heredocs and appends it.
    /// `lines`: the instruction's lines so far (empty for one content line); its heredocs' lines are added.
    mutating func finishInstruction(_ pending: PendingInstruction, lines: inout [PackedLine], text: UnsafeBufferPointer<UInt8>) {
        let lineStart = pending.lineStart
        let startLine = pending.startLine
        if let lastContentLine = pending.emptyContinuation {
            warnings.append(SyntaxWarning(
                message: "Empty continuation line found in: \(GoText.string(text))", range: range(lastContentLine)))
        }
        // The parts are bound once and passed on, not copied: each copy retains every piece.
        let parts: NodeParts
        var nodeError: String?
        do {
            parts = try NodeBuilder(text: text, escapeToken: escapeToken).build(0..<text.count)
        } catch {
            nodeError = error.message
            parts = NodeParts.failed(text: text)
        }
        var heredocs: [HeredocBody] = []
        if nodeError == nil, parts.canContainHeredoc, Self.containsHeredocOpener(text) {
            do {
                let specs = try HeredocScanner.heredocs(in: Array(text))
                if lines.isEmpty { lines.append(pending.firstLine) }
                for (index, spec) in specs.enumerated() {
                    heredocs.append(readHeredoc(spec, index: index, lines: &lines, instructionStart: lineStart))
                    if heredocs[heredocs.count - 1].terminatorRange == nil { break }
                }
            } catch {
                nodeError = error.message
            }
        }
        let instructionRange = lineTable.range(lineStart..<position, hint: startLine - 1)
        lineHint = max(lineHint, instructionRange.end.line - 1)
        if let nodeError {
            errors.append(SyntaxError(message: nodeError, range: instructionRange))
        }
        let instruction = makeInstruction(
            parts, text: text, map: pending.map, range: instructionRange, lines: lines.isEmpty ? nil : Self.exactCopy(lines),
            segments: pending.segments, heredocs: heredocs,
            startLine: startLine, endLine: Self.lastLine(of: instructionRange))
        items.append(.instruction(instruction))
    }

    mutating func readHeredoc(_ spec: HeredocSpec, index: Int, lines: inout [PackedLine], instructionStart: Int) -> HeredocBody {
        let bodyStart = position
        var content: [UInt8] = []
        var terminator: Range<Int>?
        let name = Array(spec.name.utf8)
        while position < bytes.count {
            let start = position
            let (end, textEnd) = line(at: start)
            checkLength(start, end)
            position = end
            var candidateStart = start
            if spec.stripsLeadingTabs {
                while candidateStart < textEnd && bytes[candidateStart] == 0x09 { candidateStart += 1 }
            }
            if textEnd - candidateStart == name.count && name.elementsEqual(bytes[candidateStart..<textEnd]) {
                terminator = start..<end
                lines.append(PackedLine(end: end, kind: .heredocTerminator(index)))
                break
            }
            content.append(contentsOf: bytes[start..<end])
            lines.append(PackedLine(end: end, kind: .heredocBody(index)))
        }
        let bodyEnd = terminator?.lowerBound ?? position
        if terminator == nil {
            errors.append(SyntaxError(message: "unterminated heredoc", range: range(instructionStart..<position)))
        }
        return HeredocBody(
            name: spec.name, fileDescriptor: spec.fileDescriptor, stripsLeadingTabs: spec.stripsLeadingTabs,
            expands: spec.expands, content: GoText.string(content), bodyRange: range(bodyStart..<bodyEnd),
            terminatorRange: terminator.map { range($0) })
    }

    func makeInstruction(
        _ parts: NodeParts, text: UnsafeBufferPointer<UInt8>, map: TextMap, range instructionRange: SourceRange,
        lines: [PackedLine]?, segments: TextSegments, heredocs: [HeredocBody], startLine: Int, endLine: Int,
        textBase: Int = 0
    ) -> Instruction {
        // Offsets in `parts` are relative to the outermost instruction's text; tokens get them relative to their own
        // instruction's text (an ONBUILD trigger's starts at `textBase`).
        // Long verbatim pieces point at the source instead of copying it: within one line, at its bytes; across line
        // continuations, at the instruction's segments (shared by its tokens). A short one fits in a string without
        // allocating.
        var segmented: SegmentedSource?
        func token(_ piece: TextPiece) -> SyntaxToken {
            let offsets = (piece.offsets.lowerBound - textBase)..<(piece.offsets.upperBound - textBase)
            let range = map.range(piece.offsets)
            guard piece.decoded == nil, piece.offsets.count > 15 else {
                return SyntaxToken(text: piece.string(in: text), range: range, textOffsets: offsets)
            }
            if range.end.offset - range.start.offset == piece.offsets.count {
                return SyntaxToken(source: source, range: range, textOffsets: offsets)
            }
            let shared = segmented ?? SegmentedSource(source: source, segments: segments.all)
            segmented = shared
            return SyntaxToken(segmented: shared, range: range, textOffsets: offsets)
        }
        // The keyword is always its bytes: in one piece, the instruction keeps just its range.
        func keywordPlace(_ piece: TextPiece) -> KeywordPlace {
            let range = map.range(piece.offsets)
            guard piece.decoded == nil, range.offsets.count == piece.offsets.count else { return .token(token(piece)) }
            return .inSource(range, textStart: piece.offsets.lowerBound - textBase)
        }
        let trigger = parts.subNode.map { sub in
            makeInstruction(
                sub, text: text, map: map, range: map.range(sub.textOffsets), lines: [],
                segments: .many(map.segments(for: sub.textOffsets)), heredocs: [], startLine: startLine, endLine: endLine,
                textBase: sub.textOffsets.lowerBound)
        }
        return Instruction(
            range: instructionRange, lines: lines, source: source, textSegments: segments,
            keyword: keywordPlace(parts.keyword), kind: parts.kind,
            flags: parts.flags.map { flag in
                InstructionFlag(text: flag.piece.string(in: text), name: flag.name, value: flag.value, range: map.range(flag.piece.offsets))
            },
            arguments: parts.arguments.map(token), values: parts.values.map(token), valuesAreArguments: parts.valuesAreArguments,
            keyValueSeparators: parts.separators, isJSON: parts.isJSON, heredocs: heredocs,
            startLine: startLine, endLine: endLine, triggerStorage: trigger.map { [$0] } ?? [])
    }
}

/// Maps offsets in an instruction's logical text to source ranges.
struct TextMap {
    let segments: TextSegments
    let lineTable: LineTable
    /// A line index at or before every offset the map is asked about (the instruction's first line).
    var lineHint = 0

    /// The source offset of a text offset; an offset at a segment boundary maps to the end of the earlier segment when `isEnd`.
    func sourceOffset(_ offset: Int, isEnd: Bool) -> Int {
        let segment: TextSegment
        switch segments {
        case .one(let only):
            segment = only
        case .many(let list):
            guard !list.isEmpty else { return 0 }
            var low = 0
            var high = list.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                let startsAt = list[middle].textOffset
                if startsAt < offset || (startsAt == offset && !isEnd) { low = middle } else { high = middle - 1 }
            }
            segment = list[low]
        }
        return segment.sourceOffset + min(max(offset - segment.textOffset, 0), segment.length)
    }

    func range(_ offsets: Range<Int>) -> SourceRange {
        let start = sourceOffset(offsets.lowerBound, isEnd: false)
        let end = offsets.isEmpty ? start : sourceOffset(offsets.upperBound, isEnd: true)
        let lineStart = lineTable.lineStart(lineHint)
        if lineStart <= start, lineTable.nextLineStart(after: lineHint) > max(start, end) {
            // Both ends on the hinted line (as every token of a one-line instruction is): columns are offsets.
            return SourceRange(
                start: SourcePosition(offset: start, line: lineHint + 1, column: start - lineStart + 1),
                end: SourcePosition(offset: max(start, end), line: lineHint + 1, column: max(start, end) - lineStart + 1))
        }
        return lineTable.range(start..<max(start, end), hint: lineHint)
    }

    /// The segments of a sub-range of the text, rebased to start at 0.
    func segments(for offsets: Range<Int>) -> [TextSegment] {
        var result: [TextSegment] = []
        for segment in segments.all {
            let lower = max(segment.textOffset, offsets.lowerBound)
            let upper = min(segment.textOffset + segment.length, offsets.upperBound)
            guard lower < upper else { continue }
            result.append(TextSegment(
                textOffset: lower - offsets.lowerBound, sourceOffset: segment.sourceOffset + lower - segment.textOffset,
                length: upper - lower))
        }
        return result
    }
}
