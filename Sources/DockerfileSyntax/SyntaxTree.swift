/// A parsed Dockerfile: a lossless sequence of items that together own every byte of the source.
public struct DockerfileSyntaxTree: Sendable {
    /// The exact input bytes.
    public let source: [UInt8]
    /// Top-level items in source order; their ranges partition the source.
    public let items: [SyntaxItem]
    /// Every syntax error found; parsing goes on past each one.
    public let errors: [SyntaxError]
    /// Non-fatal findings BuildKit reports while parsing (empty continuation lines).
    public let warnings: [SyntaxWarning]
    /// The escape character in force (`\` or `` ` ``).
    public let escapeToken: UInt8
    public let lineTable: LineTable

    /// The instructions, in order.
    public var instructions: [Instruction] {
        items.compactMap { if case .instruction(let instruction) = $0 { return instruction } else { return nil } }
    }

    /// The parser directives at the top of the file.
    public var directives: [ParserDirective] {
        items.compactMap { if case .directive(let directive) = $0 { return directive } else { return nil } }
    }

    /// The source printed back from the tree: every item's bytes in order.
    public func printedSource() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(source.count)
        printedSource(inPiecesOf: Int.max) { output.append(contentsOf: $0) }
        return output
    }

    /// The printed source handed over in pieces of about `size` bytes (whole items), so a large file's copy is never
    /// held whole.
    public func printedSource(inPiecesOf size: Int, _ body: (ArraySlice<UInt8>) -> Void) {
        var pieceStart = 0
        var pieceEnd = 0
        for item in items {
            let range = item.range.offsets
            // Items are contiguous in a tree the parser made; a gap starts a new piece rather than printing it.
            if range.lowerBound != pieceEnd || pieceEnd - pieceStart >= size {
                if pieceEnd > pieceStart { body(source[pieceStart..<pieceEnd]) }
                pieceStart = range.lowerBound
            }
            pieceEnd = range.upperBound
        }
        if pieceEnd > pieceStart { body(source[pieceStart..<pieceEnd]) }
    }

    /// The text of a source range.
    public func text(of range: SourceRange) -> String {
        GoText.string(source[range.offsets])
    }
}

/// One top-level piece of a Dockerfile.
public enum SyntaxItem: Sendable {
    /// The UTF-8 byte order mark at the start of the file.
    case byteOrderMark(SourceRange)
    /// A parser directive line such as `# syntax=docker/dockerfile:1` (boxed: rare, and the largest payload).
    indirect case directive(ParserDirective)
    /// A comment line outside any instruction.
    case comment(Trivia)
    /// A line holding only whitespace.
    case blankLine(Trivia)
    case instruction(Instruction)

    /// The bytes this item owns.
    public var range: SourceRange {
        switch self {
        case .byteOrderMark(let range): return range
        case .directive(let directive): return directive.range
        case .comment(let trivia), .blankLine(let trivia): return trivia.range
        case .instruction(let instruction): return instruction.range
        }
    }
}

/// Bytes with no meaning to the build (comments, blank lines), kept for printing.
public struct Trivia: Sendable {
    /// The whole line, line break included.
    public let range: SourceRange
    /// The file the line is read from when its text is asked for: a copy of every comment would add a large part
    /// of many files again.
    private let source: [UInt8]

    init(range: SourceRange, source: [UInt8]) {
        self.range = range
        self.source = source
    }

    /// The line's text without its line break (for a comment: from `#` on, leading blanks excluded).
    public var text: String {
        source.withUnsafeBufferPointer { bytes in
            var end = range.end.offset
            while end > range.start.offset && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
            let first = GoText.skipLeadingSpace(bytes, range.start.offset..<end)
            let isComment = first < end && bytes[first] == UInt8(ascii: "#")
            return GoText.string(bytes[(isComment ? first : range.start.offset)..<end])
        }
    }

    /// The same line `offset` bytes and `lines` lines further on in `source`, the edited file.
    func moved(by offset: Int, lines: Int, source: [UInt8]) -> Trivia {
        Trivia(range: range.moved(by: offset, lines: lines), source: source)
    }
}

/// Where a token's text lives: a string of its own, or (for a long token written verbatim) the source it is read from.
enum TokenText: Sendable {
    case string(String)
    /// Within one line: the source bytes of the token's range.
    case source([UInt8])
    /// A token that spans line continuations: its text is its instruction's segments' bytes in its text offsets.
    case segmented(SegmentedSource)
}

/// An instruction's source and text segments, shared by those of its tokens that span line continuations.
final class SegmentedSource: Sendable {
    let source: [UInt8]
    let segments: [TextSegment]

    init(source: [UInt8], segments: [TextSegment]) {
        self.source = source
        self.segments = segments
    }

    /// The bytes of the instruction's text in `offsets`, gathered from the segments.
    func bytes(in offsets: Range<Int>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(offsets.count)
        TextSegment.gather(segments, in: offsets, from: source, into: &bytes)
        return bytes
    }
}

/// A parser directive (`syntax`, `escape` or `check`).
public struct ParserDirective: Sendable {
    /// The directive name, lower-cased.
    public let name: String
    public let value: String
    /// The whole line, line break included.
    public let range: SourceRange
    /// The range of the value.
    public let valueRange: SourceRange
}

/// A syntax error with the range it concerns.
public struct SyntaxError: Error, Sendable, Equatable {
    public let message: String
    public let range: SourceRange
}

/// A non-fatal parser finding.
public struct SyntaxWarning: Sendable, Equatable {
    public let message: String
    public let range: SourceRange
}

/// A piece of text with its source range.
public struct SyntaxToken: Sendable, Equatable {
    private let storage: TokenText
    public let range: SourceRange
    // 32-bit offsets, and `UInt32.max` for none: tokens are the bulk of a tree.
    private let textStart: UInt32
    private let textEnd: UInt32

    /// The token's text: quotes and escapes as BuildKit leaves them, JSON strings decoded.
    public var text: String {
        switch storage {
        case .string(let text): return text
        case .source(let source): return GoText.string(source[range.offsets])
        case .segmented(let segmented): return GoText.string(segmented.bytes(in: Int(textStart)..<Int(textEnd)))
        }
    }

    /// Where the token stands in its instruction's logical `text` (nil for tokens outside an instruction).
    public var textOffsets: Range<Int>? {
        textStart == UInt32.max ? nil : Int(textStart)..<Int(textEnd)
    }

    public init(text: String, range: SourceRange, textOffsets: Range<Int>? = nil) {
        self.init(storage: .string(text), range: range, textOffsets: textOffsets)
    }

    /// A token whose text is `source`'s bytes in `range`, read when asked for.
    init(source: [UInt8], range: SourceRange, textOffsets: Range<Int>?) {
        self.init(storage: .source(source), range: range, textOffsets: textOffsets)
    }

    /// A token whose text is its text offsets' bytes in `segmented`, its instruction's segments.
    init(segmented: SegmentedSource, range: SourceRange, textOffsets: Range<Int>) {
        self.init(storage: .segmented(segmented), range: range, textOffsets: textOffsets)
    }

    private init(storage: TokenText, range: SourceRange, textOffsets: Range<Int>?) {
        self.storage = storage
        self.range = range
        if let textOffsets {
            textStart = UInt32(clamping: textOffsets.lowerBound)
            textEnd = UInt32(clamping: textOffsets.upperBound)
        } else {
            textStart = UInt32.max
            textEnd = UInt32.max
        }
    }

    /// The same token `offset` bytes and `lines` lines further on in `source`, the edited file.
    /// `segments`: the instruction's segments as moved, shared by its moved tokens (asked only by one that spans
    /// continuations).
    func moved(by offset: Int, lines: Int, source: [UInt8], segments: () -> SegmentedSource) -> SyntaxToken {
        let movedRange = range.moved(by: offset, lines: lines)
        switch storage {
        case .string: return SyntaxToken(storage: storage, range: movedRange, textOffsets: textOffsets)
        case .source: return SyntaxToken(storage: .source(source), range: movedRange, textOffsets: textOffsets)
        case .segmented: return SyntaxToken(storage: .segmented(segments()), range: movedRange, textOffsets: textOffsets)
        }
    }

    public static func == (lhs: SyntaxToken, rhs: SyntaxToken) -> Bool {
        lhs.range == rhs.range && lhs.textStart == rhs.textStart && lhs.textEnd == rhs.textEnd && lhs.text == rhs.text
    }
}

/// The instruction keywords BuildKit knows.
public enum InstructionKind: String, Sendable, CaseIterable {
    case add, arg, cmd, copy, entrypoint, env, expose, from, healthcheck, label, maintainer, onbuild, run, shell
    case stopsignal, user, volume, workdir
    /// A keyword BuildKit does not know; BuildKit's parser keeps it and the build rejects it.
    case unknown

    /// The kind named by a keyword's bytes, in any case, without making a string (the parser asks once per instruction).
    /// A switch on the first letter, then the candidates' names compared: no table to build at start-up.
    public init<Bytes: Collection<UInt8>>(keyword: Bytes) {
        guard let first = keyword.first else {
            self = .unknown
            return
        }
        // Up to three kinds start with one letter; each is tried in turn.
        func named(_ first: InstructionKind, _ second: InstructionKind? = nil, _ third: InstructionKind? = nil) -> InstructionKind {
            if first.isNamed(by: keyword) { return first }
            if let second, second.isNamed(by: keyword) { return second }
            if let third, third.isNamed(by: keyword) { return third }
            return .unknown
        }
        switch first | 0x20 {
        case UInt8(ascii: "a"): self = named(.add, .arg)
        case UInt8(ascii: "c"): self = named(.cmd, .copy)
        case UInt8(ascii: "e"): self = named(.env, .expose, .entrypoint)
        case UInt8(ascii: "f"): self = named(.from)
        case UInt8(ascii: "h"): self = named(.healthcheck)
        case UInt8(ascii: "l"): self = named(.label)
        case UInt8(ascii: "m"): self = named(.maintainer)
        case UInt8(ascii: "o"): self = named(.onbuild)
        case UInt8(ascii: "r"): self = named(.run)
        case UInt8(ascii: "s"): self = named(.shell, .stopsignal)
        case UInt8(ascii: "u"): self = named(.user)
        case UInt8(ascii: "v"): self = named(.volume)
        case UInt8(ascii: "w"): self = named(.workdir)
        default: self = .unknown
        }
    }

    /// Whether `bytes` spell this kind's keyword, ASCII letters in any case.
    private func isNamed<Bytes: Collection<UInt8>>(by bytes: Bytes) -> Bool {
        // A loop rather than `zip`: a zipped iterator's type is made at run time, searching the binary's conformances.
        let name = rawValue.utf8
        guard bytes.count == name.count else { return false }
        var letter = name.startIndex
        for byte in bytes {
            guard (byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte) == name[letter] else { return false }
            letter = name.index(after: letter)
        }
        return true
    }
}

/// One physical line of an instruction.
public struct InstructionLine: Sendable {
    public enum Kind: Sendable, Equatable {
        /// A line whose text is part of the instruction.
        case content
        /// A comment line inside a continuation; BuildKit drops it.
        case comment
        /// A blank line inside a continuation; BuildKit drops it and warns.
        case emptyContinuation
        /// A line of the body of heredoc number `index`.
        case heredocBody(Int)
        /// The line closing heredoc number `index`.
        case heredocTerminator(Int)
    }

    public let kind: Kind
    /// The whole line, line break included.
    public let range: SourceRange
}

/// An instruction line as an instruction keeps it: where it ends and its kind, in 8 bytes instead of a range's 40
/// (its start is where the line before it ends). Multi-line instructions hold most of a file's lines.
struct PackedLine: Sendable {
    let end: UInt32
    /// 0 content, 1 comment, 2 empty continuation; heredoc number `n`: 3 + 2n body, 4 + 2n terminator.
    private let code: UInt32

    init(end: Int, kind: InstructionLine.Kind) {
        self.end = UInt32(clamping: end)
        switch kind {
        case .content: code = 0
        case .comment: code = 1
        case .emptyContinuation: code = 2
        case .heredocBody(let index): code = UInt32(clamping: 3 + 2 * index)
        case .heredocTerminator(let index): code = UInt32(clamping: 4 + 2 * index)
        }
    }

    var kind: InstructionLine.Kind {
        switch code {
        case 0: return .content
        case 1: return .comment
        case 2: return .emptyContinuation
        default: return code % 2 == 1 ? .heredocBody(Int(code - 3) / 2) : .heredocTerminator(Int(code - 4) / 2)
        }
    }
}

/// A builder flag such as `--mount=type=cache,target=/root/.cache`.
public struct InstructionFlag: Sendable, Equatable {
    /// The flag as BuildKit reports it (`--name=value`, quotes and escapes resolved).
    public let text: String
    /// The name without leading dashes.
    public let name: String
    /// The value after `=`, if any.
    public let value: String?
    public let range: SourceRange
}

/// A heredoc attached to an instruction (`<<EOF` … `EOF`).
public struct HeredocBody: Sendable, Equatable {
    /// The delimiter word, quotes removed.
    public let name: String
    /// The file descriptor written before `<<` (0 when absent).
    public let fileDescriptor: Int
    /// `<<-`: leading tabs are stripped from the body.
    public let stripsLeadingTabs: Bool
    /// Whether variables in the body are expanded (the delimiter is unquoted).
    public let expands: Bool
    /// The body as written, each line with its line break.
    public let content: String
    /// The body lines.
    public let bodyRange: SourceRange
    /// The closing delimiter line, when present.
    public let terminatorRange: SourceRange?
}

/// A segment of an instruction's logical text and where it stands in the source.
public struct TextSegment: Sendable, Equatable {
    // 32-bit, as source positions are: a multi-line instruction keeps one per line.
    private let storedTextOffset: UInt32
    private let storedSourceOffset: UInt32
    private let storedLength: UInt32

    public var textOffset: Int { Int(storedTextOffset) }
    public var sourceOffset: Int { Int(storedSourceOffset) }
    public var length: Int { Int(storedLength) }

    public init(textOffset: Int, sourceOffset: Int, length: Int) {
        storedTextOffset = UInt32(clamping: textOffset)
        storedSourceOffset = UInt32(clamping: sourceOffset)
        storedLength = UInt32(clamping: length)
    }

    /// Appends to `bytes` the part of an instruction's text in `offsets`, read from `source` through the
    /// instruction's `segments` (in order): its logical text, or a token's, without the line continuations.
    static func gather<Source: RandomAccessCollection>(
        _ segments: [TextSegment], in offsets: Range<Int>, from source: Source, into bytes: inout [UInt8]
    ) where Source.Element == UInt8, Source.Index == Int {
        for segment in segments {
            let lower = max(segment.textOffset, offsets.lowerBound)
            let upper = min(segment.textOffset + segment.length, offsets.upperBound)
            guard lower < upper else { continue }
            let start = segment.sourceOffset + lower - segment.textOffset
            bytes += source[start..<(start + upper - lower)]
        }
    }
}

/// An instruction's text segments. Nearly every instruction is one line of one segment, kept without an array.
enum TextSegments: Sendable {
    case one(TextSegment)
    case many([TextSegment])

    var all: [TextSegment] {
        switch self {
        case .one(let segment): return [segment]
        case .many(let segments): return segments
        }
    }
}

/// An instruction's keyword as the parser hands it over: its bytes in one run of the source (nearly always; kept as
/// the range and where it starts in the instruction's text), or a token of its own (split by a line continuation).
enum KeywordPlace: Sendable {
    case inSource(SourceRange, textStart: Int)
    case token(SyntaxToken)
}

/// One instruction: its physical lines, the logical text BuildKit reads, and BuildKit's view of it.
/// A value type; its fields live in one shared immutable box, so copying an instruction costs one retain.
public struct Instruction: Sendable {
    private let storage: InstructionStorage
    /// Kept beside the box, not in it: rules test the kind of every instruction, and reading it from a contiguous
    /// array instead of through a pointer per instruction keeps large files out of cache-miss territory.
    public let kind: InstructionKind

    /// `lines` nil: the instruction is the one content line `range`.
    /// `source`: the file's bytes, which `textSegments` point into (kept by reference, not copied).
    /// `valuesAreArguments`: the values are the one token `arguments` (RUN, CMD, WORKDIR, … in shell form), and
    /// `values` is empty: the array is made when asked for instead of kept for every such instruction.
    init(
        range: SourceRange, lines: [PackedLine]?, source: [UInt8], textSegments: TextSegments,
        keyword: KeywordPlace, kind: InstructionKind, flags: [InstructionFlag], arguments: SyntaxToken?, values: [SyntaxToken],
        valuesAreArguments: Bool, keyValueSeparators: [String], isJSON: Bool, heredocs: [HeredocBody],
        startLine: Int, endLine: Int, triggerStorage: [Instruction]
    ) {
        self.kind = kind
        storage = InstructionStorage(
            range: range, isOneContentLine: lines == nil, lines: lines ?? [], source: source,
            textSegments: textSegments, keyword: keyword,
            flags: flags,
            arguments: arguments, values: valuesAreArguments && arguments != nil ? [] : values,
            valuesAreArguments: valuesAreArguments && arguments != nil, keyValueSeparators: keyValueSeparators,
            isJSON: isJSON, heredocs: heredocs, startLine: startLine, endLine: endLine, triggers: triggerStorage)
    }

    /// Every byte of the instruction: its lines, comments inside it, heredoc bodies and terminators.
    public var range: SourceRange { storage.range }
    public var lines: [InstructionLine] {
        if storage.isOneContentLine { return [InstructionLine(kind: .content, range: storage.range)] }
        // Each line starts where the one before it ends, at column 1; a line ends after its line break, or at the
        // end of a file without one.
        var result: [InstructionLine] = []
        result.reserveCapacity(storage.lines.count)
        var start = storage.range.start
        for line in storage.lines {
            let endOffset = Int(line.end)
            let end = endOffset > start.offset && storage.source[endOffset - 1] == 0x0A
                ? SourcePosition(offset: endOffset, line: start.line + 1, column: 1)
                : SourcePosition(offset: endOffset, line: start.line, column: start.column + endOffset - start.offset)
            result.append(InstructionLine(kind: line.kind, range: SourceRange(start: start, end: end)))
            start = end
        }
        return result
    }
    /// The instruction with continuations joined, as BuildKit sees it (its `Original`). Made from the source when
    /// asked for: few readers need it, and a copy of every instruction's text would double the tree.
    public var text: String {
        switch storage.textSegments {
        case .one(let segment):
            return GoText.string(storage.source[segment.sourceOffset..<(segment.sourceOffset + segment.length)])
        case .many(let segments):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(segments.reduce(0) { $0 + $1.length })
            TextSegment.gather(segments, in: 0..<Int.max, from: storage.source, into: &bytes)
            return GoText.string(bytes)
        }
    }
    /// Where each piece of `text` comes from in the source.
    public var textSegments: [TextSegment] { storage.textSegments.all }
    /// The segments as stored, for mapping offsets without making an array.
    var segmentList: TextSegments { storage.textSegments }
    /// The keyword as written.
    public var keyword: SyntaxToken { storage.keyword }
    /// The keyword's bytes, which are its text, when it is written in one piece (nil when a continuation splits it):
    /// for rules that look at every keyword without making its text.
    public var keywordBytes: ArraySlice<UInt8>? {
        storage.rare?.keyword == nil ? storage.source[storage.keywordRange.offsets] : nil
    }
    public var flags: [InstructionFlag] { storage.rare?.flags ?? [] }
    /// The text after the keyword and flags, trimmed; nil when there is none.
    public var arguments: SyntaxToken? { storage.arguments }
    /// BuildKit's argument values (for ENV and LABEL: key, value, key, value, …).
    public var values: [SyntaxToken] {
        if storage.valuesAreArguments, let arguments = storage.arguments { return [arguments] }
        return storage.values
    }
    /// For ENV and LABEL: each pair's separator, `=` or empty for the legacy `KEY value` form.
    public var keyValueSeparators: [String] { storage.rare?.keyValueSeparators ?? [] }
    /// The arguments were written in exec (JSON) form.
    public var isJSON: Bool { storage.isJSON }
    public var heredocs: [HeredocBody] { storage.rare?.heredocs ?? [] }
    /// First and last line of the instruction, heredocs included (1-based).
    public var startLine: Int { storage.startLine }
    public var endLine: Int { storage.endLine }
    /// For ONBUILD: the instruction it registers.
    public var trigger: Instruction? { storage.rare?.triggers.first }

    /// The keyword in upper case.
    public var name: String { keyword.text.uppercased() }

    /// The same instruction `offset` bytes and `lines` lines further on, reading `source` (the edited file, whose
    /// bytes at the new place are this instruction's).
    func moved(by offset: Int, lines: Int, source: [UInt8]) -> Instruction {
        Instruction(storage: storage.moved(by: offset, lines: lines, source: source), kind: kind)
    }

    private init(storage: InstructionStorage, kind: InstructionKind) {
        self.storage = storage
        self.kind = kind
    }
}

/// Most instructions are one line with one text segment; those keep no line or segment arrays (two allocations
/// fewer per instruction) and `Instruction` makes them when asked.
private final class InstructionStorage: Sendable {
    let range: SourceRange
    let source: [UInt8]
    /// The lines, when not the one content line `range` (empty for an ONBUILD trigger).
    let lines: [PackedLine]
    let textSegments: TextSegments
    /// The keyword's range: its text is its source bytes, in one piece (otherwise `rare.keyword` holds it).
    let keywordRange: SourceRange
    let arguments: SyntaxToken?
    let values: [SyntaxToken]
    /// What few instructions have; nil for most.
    let rare: RareParts?
    // 32 bits like source positions, beside the flags: a smaller box per instruction.
    private let storedKeywordTextStart: UInt32
    private let storedStartLine: UInt32
    private let storedEndLine: UInt32
    let isOneContentLine: Bool
    let isJSON: Bool
    let valuesAreArguments: Bool

    var startLine: Int { Int(storedStartLine) }
    var endLine: Int { Int(storedEndLine) }

    var keywordTextStart: Int { Int(storedKeywordTextStart) }

    var keyword: SyntaxToken {
        if let keyword = rare?.keyword { return keyword }
        let start = keywordTextStart
        return SyntaxToken(
            text: GoText.string(source[keywordRange.offsets]), range: keywordRange,
            textOffsets: start..<(start + keywordRange.end.offset - keywordRange.start.offset))
    }

    /// The same instruction `offset` bytes and `lines` lines further on in `source`, the edited file. Every part is
    /// moved as it is stored: an edit moves every instruction after it, so this runs for most of a large document.
    func moved(by offset: Int, lines: Int, source: [UInt8]) -> InstructionStorage {
        func move(_ range: SourceRange) -> SourceRange { range.moved(by: offset, lines: lines) }
        func move(_ segment: TextSegment) -> TextSegment {
            TextSegment(textOffset: segment.textOffset, sourceOffset: segment.sourceOffset + offset, length: segment.length)
        }
        let segments: TextSegments
        switch textSegments {
        case .one(let segment): segments = .one(move(segment))
        case .many(let list): segments = .many(list.map(move))
        }
        // The tokens that span continuations share the instruction's moved segments, made for the first of them.
        var segmented: SegmentedSource?
        func movedSegments() -> SegmentedSource {
            if let segmented { return segmented }
            let made = SegmentedSource(source: source, segments: segments.all)
            segmented = made
            return made
        }
        func move(_ token: SyntaxToken) -> SyntaxToken { token.moved(by: offset, lines: lines, source: source, segments: movedSegments) }
        let movedRare = rare.map { rare in
            RareParts(
                keyword: rare.keyword.map(move),
                flags: rare.flags.map { InstructionFlag(text: $0.text, name: $0.name, value: $0.value, range: move($0.range)) },
                keyValueSeparators: rare.keyValueSeparators,
                heredocs: rare.heredocs.map { heredoc in
                    HeredocBody(
                        name: heredoc.name, fileDescriptor: heredoc.fileDescriptor, stripsLeadingTabs: heredoc.stripsLeadingTabs,
                        expands: heredoc.expands, content: heredoc.content, bodyRange: move(heredoc.bodyRange),
                        terminatorRange: heredoc.terminatorRange.map(move))
                },
                triggers: rare.triggers.map { $0.moved(by: offset, lines: lines, source: source) })
        }
        return InstructionStorage(
            range: move(range), source: source,
            lines: self.lines.isEmpty ? [] : self.lines.map { PackedLine(end: Int($0.end) + offset, kind: $0.kind) },
            textSegments: segments, keywordRange: move(keywordRange), arguments: arguments.map(move),
            values: values.isEmpty ? [] : values.map(move), rare: movedRare, keywordTextStart: storedKeywordTextStart,
            startLine: UInt32(clamping: startLine + lines), endLine: UInt32(clamping: endLine + lines),
            isOneContentLine: isOneContentLine, isJSON: isJSON, valuesAreArguments: valuesAreArguments)
    }

    private init(
        range: SourceRange, source: [UInt8], lines: [PackedLine], textSegments: TextSegments, keywordRange: SourceRange,
        arguments: SyntaxToken?, values: [SyntaxToken], rare: RareParts?, keywordTextStart: UInt32, startLine: UInt32, endLine: UInt32,
        isOneContentLine: Bool, isJSON: Bool, valuesAreArguments: Bool
    ) {
        self.range = range
        self.source = source
        self.lines = lines
        self.textSegments = textSegments
        self.keywordRange = keywordRange
        self.arguments = arguments
        self.values = values
        self.rare = rare
        storedKeywordTextStart = keywordTextStart
        storedStartLine = startLine
        storedEndLine = endLine
        self.isOneContentLine = isOneContentLine
        self.isJSON = isJSON
        self.valuesAreArguments = valuesAreArguments
    }

    init(
        range: SourceRange, isOneContentLine: Bool, lines: [PackedLine], source: [UInt8], textSegments: TextSegments,
        keyword: KeywordPlace, flags: [InstructionFlag],
        arguments: SyntaxToken?, values: [SyntaxToken], valuesAreArguments: Bool, keyValueSeparators: [String], isJSON: Bool,
        heredocs: [HeredocBody], startLine: Int, endLine: Int, triggers: [Instruction]
    ) {
        self.range = range
        self.isOneContentLine = isOneContentLine
        self.lines = lines
        self.source = source
        self.textSegments = textSegments
        let splitKeyword: SyntaxToken?
        switch keyword {
        case .inSource(let range, let textStart):
            (keywordRange, storedKeywordTextStart, splitKeyword) = (range, UInt32(clamping: textStart), nil)
        case .token(let token):
            (keywordRange, storedKeywordTextStart, splitKeyword) = (token.range, UInt32(clamping: token.textOffsets?.lowerBound ?? 0), token)
        }
        self.arguments = arguments
        self.values = values
        self.valuesAreArguments = valuesAreArguments
        self.isJSON = isJSON
        storedStartLine = UInt32(clamping: startLine)
        storedEndLine = UInt32(clamping: endLine)
        if splitKeyword != nil || !flags.isEmpty || !keyValueSeparators.isEmpty || !heredocs.isEmpty || !triggers.isEmpty {
            rare = RareParts(
                keyword: splitKeyword, flags: flags, keyValueSeparators: keyValueSeparators,
                heredocs: heredocs, triggers: triggers)
        } else {
            rare = nil
        }
    }
}

/// The parts of an instruction that most instructions lack, boxed apart so that those pay one pointer for them.
private final class RareParts: Sendable {
    /// A keyword split by a line continuation, whose text is not one run of source bytes.
    let keyword: SyntaxToken?
    let flags: [InstructionFlag]
    let keyValueSeparators: [String]
    let heredocs: [HeredocBody]
    /// Empty, or the one instruction ONBUILD registers.
    let triggers: [Instruction]

    init(keyword: SyntaxToken?, flags: [InstructionFlag], keyValueSeparators: [String], heredocs: [HeredocBody], triggers: [Instruction]) {
        self.keyword = keyword
        self.flags = flags
        self.keyValueSeparators = keyValueSeparators
        self.heredocs = heredocs
        self.triggers = triggers
    }
}
