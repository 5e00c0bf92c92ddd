import Support

extension DockerfileParser {
    /// Parses `source`, an edited version of `previous.source`, giving the same tree as ``parse(_:)``: the item that
    /// holds the byte before the edit is read again, and reading goes on only until an item ends where one of the
    /// previous items began after the edit; the items before and after are the previous ones, moved. Item
    /// boundaries carry no parser state once the first instruction is read (directives are over, the escape
    /// character is fixed), so an edit in the directives or before the first instruction is a full parse.
    public static func parse(_ source: [UInt8], editing previous: DockerfileSyntaxTree) -> DockerfileSyntaxTree {
        let old = previous.source
        let (prefix, suffix) = ByteSearch.sharedEnds(old, source)
        if prefix == old.count && prefix == source.count { return previous }
        let items = previous.items
        guard prefix > 0, let restartIndex = itemIndex(holding: prefix - 1, in: items),
              items[..<restartIndex].contains(where: { if case .instruction = $0 { return true } else { return false } })
        else { return parse(source) }
        let restart = items[restartIndex].range.start
        let delta = source.count - old.count
        let changeEnd = source.count - suffix
        return source.withUnsafeBufferPointer { buffer in
            var parser = ParserRun(
                bytes: buffer, source: source,
                lineTable: LineTable(source, editing: previous.lineTable, sharedPrefix: prefix, sharedSuffix: suffix))
            parser.position = restart.offset
            parser.directivesDone = true
            parser.sawInstruction = true
            parser.escapeToken = previous.escapeToken
            parser.lineHint = restart.line - 1
            // Earlier items keep their places; instructions are made again only to read the new buffer. Appended, so
            // they fill the room the parser reserved rather than a new array.
            parser.items.append(contentsOf: items[..<restartIndex].lazy.map { $0.moved(by: 0, lines: 0, source: source) })
            parser.errors = previous.errors.filter { $0.range.start.offset < restart.offset }
            parser.warnings = previous.warnings.filter { $0.range.start.offset < restart.offset }
            var resumeIndex: Int?
            while parser.position < buffer.count {
                parser.parseItem()
                guard parser.position >= changeEnd, let index = itemIndex(startingAt: parser.position - delta, in: items) else { continue }
                resumeIndex = index
                break
            }
            if let resumeIndex {
                let resumed = items[resumeIndex].range.start
                let lines = parser.lineTable.position(of: parser.position).line - resumed.line
                parser.items.append(contentsOf: items[resumeIndex...].lazy.map { $0.moved(by: delta, lines: lines, source: source) })
                parser.errors += previous.errors.filter { $0.range.start.offset >= resumed.offset }.map {
                    SyntaxError(message: $0.message, range: $0.range.moved(by: delta, lines: lines))
                }
                parser.warnings += previous.warnings.filter { $0.range.start.offset >= resumed.offset }.map {
                    SyntaxWarning(message: $0.message, range: $0.range.moved(by: delta, lines: lines))
                }
            }
            return parser.tree
        }
    }

    /// The item whose bytes include `offset` (items are in order and contiguous).
    private static func itemIndex(holding offset: Int, in items: [SyntaxItem]) -> Int? {
        var low = 0
        var high = items.count
        while low < high {
            let middle = (low + high) / 2
            if items[middle].range.start.offset <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > 0, items[low - 1].range.offsets.contains(offset) else { return nil }
        return low - 1
    }

    /// The item that begins exactly at `offset`, if one does.
    private static func itemIndex(startingAt offset: Int, in items: [SyntaxItem]) -> Int? {
        guard let index = itemIndex(holding: offset, in: items), items[index].range.start.offset == offset else { return nil }
        return index
    }
}

extension SourceRange {
    /// The same range `offset` bytes and `lines` lines further on (columns stay: whole lines move).
    public func moved(by offset: Int, lines: Int) -> SourceRange {
        guard offset != 0 || lines != 0 else { return self }
        return SourceRange(
            start: SourcePosition(offset: start.offset + offset, line: start.line + lines, column: start.column),
            end: SourcePosition(offset: end.offset + offset, line: end.line + lines, column: end.column))
    }
}

extension SyntaxItem {
    /// The item moved with its lines, its instruction reading `source`.
    func moved(by offset: Int, lines: Int, source: [UInt8]) -> SyntaxItem {
        switch self {
        case .byteOrderMark(let range): return .byteOrderMark(range.moved(by: offset, lines: lines))
        case .directive(let directive):
            return .directive(ParserDirective(
                name: directive.name, value: directive.value, range: directive.range.moved(by: offset, lines: lines),
                valueRange: directive.valueRange.moved(by: offset, lines: lines)))
        case .comment(let trivia): return .comment(trivia.moved(by: offset, lines: lines, source: source))
        case .blankLine(let trivia): return .blankLine(trivia.moved(by: offset, lines: lines, source: source))
        case .instruction(let instruction): return .instruction(instruction.moved(by: offset, lines: lines, source: source))
        }
    }
}
