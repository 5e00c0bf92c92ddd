/// Whose shape a report has: dockerkit's (columns, end positions, fixes) or hadolint's byte for byte (each finding
/// at its instruction's line, column 1) for tools that read hadolint's output.
public enum ReportDialect: Sendable {
    case dockerkit, hadolint
}

/// One finding with the path of the file it is in.
typealias PlacedFinding = (path: String, finding: Finding)

extension Array where Element == LintResult {
    /// Every finding of every file, in order.
    var placedFindings: [PlacedFinding] {
        flatMap { result in result.findings.map { (result.path, $0) } }
    }
}
