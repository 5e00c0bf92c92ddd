import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
/// A point in a source file. `line` and `column` are 1-based; `column` counts UTF-8 bytes, not characters.
/// Stored in 32 bits each: every token carries two positions, and a smaller tree is a faster one
/// (sources are limited to `SourcePosition.maximumOffset` bytes).
public struct SourcePosition: Sendable, Hashable, Comparable {
    /// The largest offset a position can hold; larger sources are refused before parsing.
    public static let maximumOffset = Int(UInt32.max)

    private var storedOffset: UInt32
    private var storedLine: UInt32
    private var storedColumn: UInt32

    /// Byte offset from the start of the file (0-based).
    public var offset: Int {
        get { Int(storedOffset) }
        set { storedOffset = UInt32(clamping: newValue) }
    }
    /// Line number, 1-based.
    public var line: Int {
        get { Int(storedLine) }
        set { storedLine = UInt32(clamping: newValue) }
    }
    /// Column in UTF-8 bytes, 1-based.
    public var column: Int {
        get { Int(storedColumn) }
        set { storedColumn = UInt32(clamping: newValue) }
    }

    @inline(__always)
    public init(offset: Int, line: Int, column: Int) {
        storedOffset = UInt32(clamping: offset)
        storedLine = UInt32(clamping: line)
        storedColumn = UInt32(clamping: column)
    }

    public static func < (lhs: SourcePosition, rhs: SourcePosition) -> Bool { lhs.storedOffset < rhs.storedOffset }
}

/// A half-open byte range `[start, end)` in a source file, with line and column for both ends.
public struct SourceRange: Sendable, Hashable {
    public var start: SourcePosition
    public var end: SourcePosition

    public init(start: SourcePosition, end: SourcePosition) {
        self.start = start
        self.end = end
    }

    /// The byte offsets this range covers.
    public var offsets: Range<Int> { start.offset..<end.offset }
}

/// Maps byte offsets to line and column numbers for one source buffer.
public struct LineTable: Sendable {
    /// Offset of the first byte of each line, in 32 bits like source positions.
    private let lineStarts: [UInt32]
    public let byteCount: Int

    public init(_ bytes: [UInt8]) {
        var starts: [UInt32] = [0]
        starts.reserveCapacity(bytes.count / 32 + 1)
        LineTable.appendLineStarts(of: bytes, in: 0..<bytes.count, to: &starts)
        self.init(lineStarts: starts, byteCount: bytes.count)
    }

    /// The table of `bytes`, an edited version of the text `previous` is the table of, whose first `sharedPrefix`
    /// and last `sharedSuffix` bytes are the previous text's: only the edited bytes are read again, and the line
    /// starts after them move by the change in length.
    init(_ bytes: [UInt8], editing previous: LineTable, sharedPrefix: Int, sharedSuffix: Int) {
        let editEnd = bytes.count - sharedSuffix
        guard sharedPrefix <= editEnd, previous.byteCount - sharedSuffix >= sharedPrefix else {
            self.init(bytes)
            return
        }
        let old = previous.lineStarts
        // Starts up to the edit: the byte before each lies in the shared start.
        let kept = old.partitioningIndex { Int($0) > sharedPrefix }
        var starts = Array(old[..<kept])
        starts.reserveCapacity(old.count + (editEnd - sharedPrefix) / 32)
        // Starts whose line break lies in the edited bytes, then those whose line break lies in the shared end.
        LineTable.appendLineStarts(of: bytes, in: sharedPrefix..<editEnd, to: &starts)
        let delta = bytes.count - previous.byteCount
        let moved = old.partitioningIndex { Int($0) > previous.byteCount - sharedSuffix }
        for start in old[moved...] { starts.append(UInt32(clamping: Int(start) + delta)) }
        self.init(lineStarts: starts, byteCount: bytes.count)
    }

    private init(lineStarts: [UInt32], byteCount: Int) {
        self.lineStarts = lineStarts
        self.byteCount = byteCount
    }

    /// Appends the start of the line after each line break in `range` of `bytes`.
    private static func appendLineStarts(of bytes: [UInt8], in range: Range<Int>, to starts: inout [UInt32]) {
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var index = range.lowerBound
            while index < range.upperBound, let found = memchr(base + index, 0x0A, range.upperBound - index) {
                index = base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                starts.append(UInt32(clamping: index))
            }
        }
    }

    /// The offset of the first byte of line index `index` (0-based, below `lineCount`).
    public func lineStart(_ index: Int) -> Int { Int(lineStarts[index]) }

    /// Where the line after line index `index` starts; `Int.max` when none does.
    func nextLineStart(after index: Int) -> Int {
        index + 1 < lineStarts.count ? Int(lineStarts[index + 1]) : Int.max
    }

    /// The number of lines, counting a final line without a newline; an empty file has one empty line.
    public var lineCount: Int {
        if lineStarts.count > 1 && Int(lineStarts[lineStarts.count - 1]) == byteCount { return lineStarts.count - 1 }
        return lineStarts.count
    }

    /// The position of a byte offset (clamped to the buffer).
    public func position(of offset: Int) -> SourcePosition {
        position(of: max(0, min(offset, byteCount)), atOrAfter: 0)
    }

    /// The range covering the given byte offsets.
    public func range(_ offsets: Range<Int>) -> SourceRange {
        SourceRange(start: position(of: offsets.lowerBound), end: position(of: offsets.upperBound))
    }

    /// The position of a byte offset on line index `hint` (0-based) or a few lines after it: a short walk forward
    /// instead of a binary search, for the many lookups inside one instruction.
    public func position(of offset: Int, hint: Int) -> SourcePosition {
        let clamped = max(0, min(offset, byteCount))
        guard hint >= 0, hint < lineStarts.count, Int(lineStarts[hint]) <= clamped else { return position(of: offset) }
        var line = hint
        var steps = 0
        while line + 1 < lineStarts.count && Int(lineStarts[line + 1]) <= clamped {
            line += 1
            steps += 1
            if steps == 16 { return position(of: clamped, atOrAfter: line) }
        }
        return SourcePosition(offset: clamped, line: line + 1, column: clamped - Int(lineStarts[line]) + 1)
    }

    /// The position of `offset` (within the buffer), searching only the lines from index `first` on, whose start is
    /// at or before it: a long instruction's end, found without searching the whole file again.
    private func position(of offset: Int, atOrAfter first: Int) -> SourcePosition {
        var low = first
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if Int(lineStarts[middle]) <= offset { low = middle } else { high = middle - 1 }
        }
        return SourcePosition(offset: offset, line: low + 1, column: offset - Int(lineStarts[low]) + 1)
    }

    /// The range covering the given byte offsets, looked up from line index `hint` on.
    public func range(_ offsets: Range<Int>, hint: Int) -> SourceRange {
        let start = position(of: offsets.lowerBound, hint: hint)
        return SourceRange(start: start, end: position(of: offsets.upperBound, hint: start.line - 1))
    }

    /// The byte offsets of line `line` (1-based), without its line break.
    public func lineOffsets(_ line: Int, in bytes: [UInt8]) -> Range<Int> {
        guard line >= 1 && line <= lineStarts.count else { return byteCount..<byteCount }
        let start = Int(lineStarts[line - 1])
        var end = line < lineStarts.count ? Int(lineStarts[line]) : byteCount
        while end > start && (bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D) { end -= 1 }
        return start..<end
    }
}
