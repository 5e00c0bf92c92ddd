#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Support

/// Rows as columns two spaces apart, each as wide as its widest cell (the last column is not padded).
func alignedTable(_ rows: [[String]]) -> String {
    let columns = rows.map(\.count).max() ?? 0
    let widths = (0..<columns).map { column in rows.map { column < $0.count ? $0[column].count : 0 }.max() ?? 0 }
    return rows.map { row in
        var line = row.enumerated().map { index, cell in index == row.count - 1 ? cell : padded(cell, to: widths[index] + 2) }.joined()
        while line.hasSuffix(" ") { line.removeLast() }
        return line
    }.joined(separator: "\n") + "\n"
}

/// Whether `path` names a directory (following symlinks); nil when nothing is there.
func isDirectory(_ path: String) -> Bool? {
    var status = stat()
    guard stat(path, &status) == 0 else { return nil }
    return (status.st_mode & S_IFMT) == S_IFDIR
}

