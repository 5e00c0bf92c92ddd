import DockerfileSyntax
import Support

/// Findings a team has accepted for now (`--write-baseline`), so that adopting the linter on a large repository
/// reports only what is new (`--baseline`). A finding is known by its rule, its file and the text of the instruction
/// it is in (blanks collapsed), never by its line: lines may move and the finding stays known. Files are named
/// relative to the baseline's folder, so the command line and the editor, run from anywhere, agree.
public struct Baseline: Sendable, Equatable {
    /// One accepted finding's identity.
    public struct Entry: Sendable, Hashable {
        public let file: String
        public let code: String
        public let text: String

        public init(file: String, code: String, text: String) {
            self.file = file
            self.code = code
            self.text = text
        }
    }

    /// How many findings of each identity are accepted (one instruction may have two of one rule).
    public private(set) var counts: [Entry: Int]
    /// The baseline file's folder, absolute: entries name files relative to it.
    public let root: String

    public init(counts: [Entry: Int] = [:], root: String) {
        self.counts = counts
        self.root = root
    }

    /// `path` (relative to `workingDirectory` when not absolute) as the baseline names it.
    func name(of path: String, workingDirectory: String) -> String {
        let absolute = FilePath.resolved(path, from: workingDirectory)
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return absolute.hasPrefix(prefix) ? String(absolute.dropFirst(prefix.count)) : absolute
    }

    /// The most a baseline file may hold, like a Dockerfile.
    public static let sizeLimit = 64 << 20

    /// The baseline of these results, to be written into the folder `root`.
    public init(_ results: [LintResult], root: String, workingDirectory: String) {
        self.root = root
        self.counts = [:]
        for result in results {
            for (_, entry) in entries(of: result, workingDirectory: workingDirectory) { counts[entry, default: 0] += 1 }
        }
    }

    /// Each finding of `result` with its identity.
    func entries(of result: LintResult, workingDirectory: String) -> [(Finding, Entry)] {
        guard !result.findings.isEmpty else { return [] }
        let tree = DockerfileParser.parse(result.source)
        let file = name(of: result.path, workingDirectory: workingDirectory)
        let spans = tree.items.map(\.range.offsets)
        return result.findings.map { finding in
            let offset = finding.range.start.offset
            // The item (instruction, comment or directive) the finding starts in; its text, blanks collapsed.
            let span = Self.span(containing: offset, in: spans) ?? (offset..<offset)
            let text = String(decoding: result.source[span.clamped(to: 0..<result.source.count)], as: UTF8.self)
                .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }).joined(separator: " ")
            return (finding, Entry(file: file, code: finding.code, text: text))
        }
    }

    /// The span holding `offset`, by binary search: items are in source order and do not overlap.
    static func span(containing offset: Int, in spans: [Range<Int>]) -> Range<Int>? {
        var low = 0
        var high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].upperBound <= offset { low = middle + 1 } else { high = middle }
        }
        return low < spans.count && spans[low].contains(offset) ? spans[low] : nil
    }

    /// The results without the findings this baseline accepts; each accepted identity hides as many findings as
    /// it was written with, so a second copy of an old problem is reported.
    public func filtering(_ results: [LintResult], workingDirectory: String) -> [LintResult] {
        var left = counts
        return results.map { result in
            let kept = partition(result, workingDirectory: workingDirectory, left: &left).new
            return LintResult(path: result.path, source: result.source, lineTable: result.lineTable, findings: kept)
        }
    }

    /// One file's findings split into those that are new and those the baseline accepts (for an editor that shows
    /// them as hints).
    public func partition(_ result: LintResult, workingDirectory: String) -> (new: [Finding], known: [Finding]) {
        var left = counts
        return partition(result, workingDirectory: workingDirectory, left: &left)
    }

    private func partition(_ result: LintResult, workingDirectory: String, left: inout [Entry: Int]) -> (new: [Finding], known: [Finding]) {
        var new: [Finding] = []
        var known: [Finding] = []
        for (finding, entry) in entries(of: result, workingDirectory: workingDirectory) {
            if let count = left[entry], count > 0 {
                left[entry] = count - 1
                known.append(finding)
            } else {
                new.append(finding)
            }
        }
        return (new, known)
    }

    /// Reads the baseline file at `path` (absolute).
    package static func load(_ path: String) throws(InputError) -> Baseline {
        switch try readStoredFile(path, limit: sizeLimit) {
        case .absent: throw InputError(source: path, message: "no such baseline; write one with --write-baseline")
        case .contents(let bytes): return try decode(bytes, path: path)
        }
    }

    /// The file's text: JSON, one entry a line, sorted, so a baseline reads well in a diff.
    public func encoded() -> String {
        let sorted = counts.keys.sorted { ($0.file, $0.code, $0.text) < ($1.file, $1.code, $1.text) }
        var text = "{\n  \"version\": 1,\n  \"findings\": ["
        for (index, entry) in sorted.enumerated() {
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("file")
            writer.string(entry.file)
            writer.key("code")
            writer.string(entry.code)
            writer.key("text")
            writer.string(entry.text)
            writer.key("count")
            writer.number(counts[entry] ?? 1)
            writer.endObject()
            text += (index == 0 ? "\n    " : ",\n    ") + writer.output
        }
        text += sorted.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return text
    }

    /// Reads a baseline file's bytes; `path` (absolute) names it in errors, and its folder is the root.
    package static func decode(_ bytes: [UInt8], path: String) throws(InputError) -> Baseline {
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw InputError(source: path, message: "not a baseline (not JSON: \(error.message)); write one with --write-baseline")
        }
        guard document["version"]?.integer == 1, let items = document["findings"]?.array else {
            throw InputError(source: path, message: "not a baseline (no \"version\": 1 and \"findings\" list); write one with --write-baseline")
        }
        var counts: [Entry: Int] = [:]
        for (index, item) in items.enumerated() {
            guard let file = item["file"]?.string, let code = item["code"]?.string, let text = item["text"]?.string else {
                throw InputError(source: path, message: "finding \(index + 1): \"file\", \"code\" and \"text\" are required")
            }
            let count = item["count"]?.integer.flatMap { Int(exactly: $0) } ?? 1
            guard (1...1_000_000).contains(count) else { throw InputError(source: path, message: "finding \(index + 1): \"count\" must be from 1 to 1000000") }
            counts[Entry(file: file, code: code, text: text), default: 0] += count
        }
        return Baseline(counts: counts, root: FilePath.parent(path))
    }
}
