import DockerfileSyntax
import Support

/// The terminal format: dockerkit's shows the line with the range underlined, hadolint's one line per finding.
enum TTYReport {
    /// ANSI colours of the severities: dockerkit's, and hadolint's brighter ones.
    static let dockerkitColors: [Severity: String] = [.error: "31", .warning: "33", .info: "36", .style: "35"]
    static let hadolintColors: [Severity: String] = [.error: "91", .warning: "93", .info: "92", .style: "96"]

    static func render(_ results: [LintResult], dialect: ReportDialect, useColor: Bool) -> String {
        switch dialect {
        case .hadolint:
            return results.placedFindings.map { item in
                let level = useColor ? colored(item.finding.severity, palette: hadolintColors) : item.finding.severity.rawValue
                return "\(item.path.escapingControlCharacters()):\(item.finding.range.start.line) \(item.finding.code) \(level): \(item.finding.message.escapingControlCharacters())\n"
            }.joined()
        case .dockerkit:
            var output = ""
            for result in results {
                for finding in result.findings {
                    output += underlined(finding, in: result, useColor: useColor)
                }
            }
            return output
        }
    }

    private static func underlined(_ finding: Finding, in result: LintResult, useColor: Bool) -> String {
        let start = finding.range.start
        let label = useColor ? colored(finding.severity, palette: dockerkitColors) : finding.severity.rawValue
        var output = "\(result.path.escapingControlCharacters()):\(start.line):\(start.column) \(label) \(finding.code) \(finding.message.escapingControlCharacters())\n"
        let lineOffsets = result.lineTable.lineOffsets(start.line, in: result.source)
        let line = String(decoding: result.source[lineOffsets], as: UTF8.self)
        guard !lineOffsets.isEmpty else { return output }
        output += "    " + line.escapingControlCharacters(keepingTabs: true).replacingTabs() + "\n"
        let endColumn = finding.range.end.line == start.line ? max(finding.range.end.column, start.column + 1) : lineOffsets.count + 1
        let caretStart = String(decoding: result.source[lineOffsets.lowerBound..<min(lineOffsets.upperBound, lineOffsets.lowerBound + start.column - 1)], as: UTF8.self)
        let underlined = String(decoding: result.source[min(lineOffsets.upperBound, lineOffsets.lowerBound + start.column - 1)..<min(lineOffsets.upperBound, lineOffsets.lowerBound + endColumn - 1)], as: UTF8.self)
        let caretWidth = caretStart.escapingControlCharacters(keepingTabs: true).replacingTabs().count
        output += "    " + String(repeating: " ", count: caretWidth) + "^" + String(repeating: "~", count: max(0, underlined.escapingControlCharacters(keepingTabs: true).count - 1)) + "\n"
        return output
    }

    static func colored(_ severity: Severity, palette: [Severity: String]) -> String {
        "\u{1B}[\(palette[severity] ?? "0")m\(severity.rawValue)\u{1B}[0m"
    }
}

extension String {
    func replacingTabs() -> String { replacingAll("\t", with: "    ") }
}
