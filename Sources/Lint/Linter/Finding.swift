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
    public let edits: [TextEdit]
    public let applicability: Applicability

    public init(summary: String, edits: [TextEdit], applicability: Applicability = .safe) {
        self.summary = summary
        self.edits = edits
        self.applicability = applicability
    }
}

/// One problem found in a Dockerfile.
public struct Finding: Sendable, Equatable {
    public var code: String
    public var severity: Severity
    public let message: String
    public let range: SourceRange
    public let fix: Fix?

    public init(code: String, severity: Severity, message: String, range: SourceRange, fix: Fix? = nil) {
        self.code = code
        self.severity = severity
        self.message = message
        self.range = range
        self.fix = fix
    }
}
