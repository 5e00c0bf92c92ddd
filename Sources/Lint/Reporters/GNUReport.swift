/// The GNU error format: `path:line:column: severity: message [code]`; hadolint's is `hadolint:path:line: code severity: message`.
enum GNUReport {
    static func render(_ results: [LintResult], dialect: ReportDialect) -> String {
        results.placedFindings.map { path, finding in
            switch dialect {
            case .dockerkit:
                return "\(path.escapingControlCharacters()):\(finding.range.start.line):\(finding.range.start.column): \(finding.severity.rawValue): \(finding.message.escapingControlCharacters()) [\(finding.code)]\n"
            case .hadolint:
                return "hadolint:\(path.escapingControlCharacters()):\(finding.range.start.line): \(finding.code) \(finding.severity.rawValue): \(finding.message.escapingControlCharacters())\n"
            }
        }.joined()
    }
}
