import DockerfileSyntax

/// How serious a finding is, in hadolint's four levels.
public enum Severity: String, Sendable, Comparable, CaseIterable {
    case error, warning, info, style

    var rank: Int {
        switch self {
        case .error: return 3
        case .warning: return 2
        case .info: return 1
        case .style: return 0
        }
    }

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// A replacement of a byte range of the source.
public struct TextEdit: Sendable, Equatable {
    public let offsets: Range<Int>
    public let replacement: String

    public init(offsets: Range<Int>, replacement: String) {
        self.offsets = offsets
        self.replacement = replacement
    }
}

/// A safe automatic correction: edits that never overlap.
public struct Fix: Sendable, Equatable {
    /// Whether applying a fix keeps what the image does: `--fix` applies safe fixes only; unsafe ones are offered
    /// (as editor code actions) for a person to accept.
    public enum Applicability: String, Sendable {
        case safe, unsafe
    }

    public let summary: String
    /// The edits as made, and how far they have moved since: an editor moves every finding after an edit, and
    /// moving a fix is then one number instead of a new array of edits for each.
    private let madeEdits: [TextEdit]
    private let shift: Int
    // The one-byte field last: padding after it would add to every finding with a fix.
    public let applicability: Applicability

    /// The edits, at their place in the current text.
    public var edits: [TextEdit] {
        guard shift != 0 else { return madeEdits }
        return madeEdits.map { TextEdit(offsets: ($0.offsets.lowerBound + shift)..<($0.offsets.upperBound + shift), replacement: $0.replacement) }
    }

    public init(summary: String, edits: [TextEdit], applicability: Applicability = .safe) {
        self.init(summary: summary, madeEdits: edits, shift: 0, applicability: applicability)
    }

    private init(summary: String, madeEdits: [TextEdit], shift: Int, applicability: Applicability) {
        self.summary = summary
        self.madeEdits = madeEdits
        self.shift = shift
        self.applicability = applicability
    }

    /// The same fix with its edits `offset` bytes further on.
    func moved(by offset: Int) -> Fix {
        Fix(summary: summary, madeEdits: madeEdits, shift: shift + offset, applicability: applicability)
    }

    public static func == (lhs: Fix, rhs: Fix) -> Bool {
        lhs.summary == rhs.summary && lhs.applicability == rhs.applicability && lhs.edits == rhs.edits
    }
}

/// One problem found in a Dockerfile.
public struct Finding: Sendable, Equatable {
    // The one-byte field last: a large file has hundreds of thousands of findings, and each pass over them reads
    // every byte, padding included.
    public var code: String
    public let message: String
    public let range: SourceRange
    public let fix: Fix?
    public var severity: Severity

    public init(code: String, severity: Severity, message: String, range: SourceRange, fix: Fix? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.range = range
        self.fix = fix
    }
}
