import DockerfileSyntax

/// An open document: its bytes and where its lines start, with LSP positions (UTF-16 code units) converted to byte
/// offsets and back.
package struct TextDocument: Sendable {
    package private(set) var bytes: [UInt8]
    package var version: Int
    private var lineStarts: [Int]

    package init(text: String, version: Int) {
        bytes = Array(text.utf8)
        self.version = version
        lineStarts = TextDocument.lineStarts(of: bytes)
    }

    static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(index + 1) }
        return starts
    }

    /// The byte offset of an LSP position (clamped into the document).
    package func offset(line: Int, character: Int) -> Int {
        guard line >= 0 else { return 0 }
        guard line < lineStarts.count else { return bytes.count }
        let start = lineStarts[line]
        let end = line + 1 < lineStarts.count ? lineStarts[line + 1] - 1 : bytes.count
        var offset = start
        var units = 0
        while offset < end && units < character {
            let byte = bytes[offset]
            let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            units += width == 4 ? 2 : 1
            offset = min(end, offset + width)
        }
        return offset
    }

    /// The LSP position (line, UTF-16 character) of a byte offset.
    package func position(of offset: Int) -> (line: Int, character: Int) {
        let clamped = max(0, min(offset, bytes.count))
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= clamped { low = middle } else { high = middle - 1 }
        }
        var units = 0
        var index = lineStarts[low]
        while index < clamped {
            let byte = bytes[index]
            let width = byte < 0x80 ? 1 : byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            units += width == 4 ? 2 : 1
            index += width
        }
        return (low, units)
    }

    /// Replaces a byte range (an incremental change). Only the line starts after the change move; the lines of the
    /// rest of the document are not read again, so a burst of small edits costs little more than one.
    package mutating func replace(_ range: Range<Int>, with text: String) {
        let lower = max(0, min(range.lowerBound, bytes.count))
        let upper = max(lower, min(range.upperBound, bytes.count))
        let inserted = Array(text.utf8)
        bytes.replaceSubrange(lower..<upper, with: inserted)
        // Line starts in (lower, upper] were inside the replaced text; those after it move by the change in length.
        var low = 0
        var high = lineStarts.count
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] <= lower { low = middle + 1 } else { high = middle }
        }
        let first = low
        var end = first
        while end < lineStarts.count && lineStarts[end] <= upper { end += 1 }
        let delta = inserted.count - (upper - lower)
        var replacement: [Int] = []
        for (index, byte) in inserted.enumerated() where byte == UInt8(ascii: "\n") { replacement.append(lower + index + 1) }
        for index in end..<lineStarts.count { lineStarts[index] += delta }
        lineStarts.replaceSubrange(first..<end, with: replacement)
    }

    package mutating func replaceAll(with text: String) {
        bytes = Array(text.utf8)
        lineStarts = TextDocument.lineStarts(of: bytes)
    }

    /// The text of one line (without its line break).
    package func line(_ index: Int) -> String {
        guard index >= 0, index < lineStarts.count else { return "" }
        let end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : bytes.count
        return String(decoding: bytes[lineStarts[index]..<max(lineStarts[index], end)], as: UTF8.self)
    }

    package var lineCount: Int { lineStarts.count }
}
