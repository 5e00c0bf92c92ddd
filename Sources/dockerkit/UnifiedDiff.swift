/// A unified diff of two texts, line by line.
enum UnifiedDiff {
    /// A line that ends the file without a line break carries this mark, so that it differs from the same text
    /// with one; it is printed as diff's `\ No newline at end of file`.
    private static let noNewlineMark = "\u{0}"

    /// The text's lines, without the empty piece after a final line break.
    private static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" {
            lines.removeLast()
        } else if let last = lines.last {
            lines[lines.count - 1] = last + noNewlineMark
        }
        return lines
    }

    static func render(old: String, new: String, path: String) -> String {
        let oldLines = lines(old)
        let newLines = lines(new)
        var prefix = 0
        while prefix < oldLines.count && prefix < newLines.count && oldLines[prefix] == newLines[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < oldLines.count - prefix && suffix < newLines.count - prefix
            && oldLines[oldLines.count - 1 - suffix] == newLines[newLines.count - 1 - suffix] { suffix += 1 }
        let oldMiddle = Array(oldLines[prefix..<(oldLines.count - suffix)])
        let newMiddle = Array(newLines[prefix..<(newLines.count - suffix)])
        if oldMiddle.isEmpty && newMiddle.isEmpty { return "" }
        // Longest common subsequence on the changed middle.
        var table = Array(repeating: Array(repeating: 0, count: newMiddle.count + 1), count: oldMiddle.count + 1)
        if oldMiddle.count * newMiddle.count <= 4_000_000 {
            for i in stride(from: oldMiddle.count - 1, through: 0, by: -1) {
                for j in stride(from: newMiddle.count - 1, through: 0, by: -1) {
                    table[i][j] = oldMiddle[i] == newMiddle[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var body: [String] = []
        let context = 3
        let before = max(0, prefix - context)
        for line in oldLines[before..<prefix] { body.append(" " + line) }
        var i = 0
        var j = 0
        while i < oldMiddle.count || j < newMiddle.count {
            if i < oldMiddle.count && j < newMiddle.count && oldMiddle[i] == newMiddle[j] {
                body.append(" " + oldMiddle[i]); i += 1; j += 1
            } else if i < oldMiddle.count && (j == newMiddle.count || table[i + 1][j] >= table[i][j + 1]) {
                // Removed lines before added ones, as diff and git print them.
                body.append("-" + oldMiddle[i]); i += 1
            } else {
                body.append("+" + newMiddle[j]); j += 1
            }
        }
        let afterEnd = min(oldLines.count, oldLines.count - suffix + context)
        for line in oldLines[(oldLines.count - suffix)..<afterEnd] { body.append(" " + line) }
        let oldCount = body.filter { !$0.hasPrefix("+") }.count
        let newCount = body.filter { !$0.hasPrefix("-") }.count
        let shown = body.map { $0.hasSuffix(noNewlineMark) ? String($0.dropLast()) + "\n\\ No newline at end of file" : $0 }
        // `a/` and `b/` go before the path as git writes them: an absolute path does not get a second slash.
        let name = path.hasPrefix("/") ? String(path.dropFirst()) : path
        return "--- a/\(name)\n+++ b/\(name)\n@@ -\(before + 1),\(oldCount) +\(before + 1),\(newCount) @@\n" + shown.joined(separator: "\n") + "\n"
    }
}
