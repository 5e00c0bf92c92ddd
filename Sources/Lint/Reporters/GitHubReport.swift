/// GitHub Actions workflow commands (`::warning file=…::message`), escaped as the runner reads them.
enum GitHubReport {
    static func render(_ results: [LintResult]) -> String {
        results.placedFindings.map { path, finding in
            let level: String
            switch finding.severity {
            case .error: level = "error"
            case .warning: level = "warning"
            case .info, .style: level = "notice"
            }
            let range = finding.range
            return "::\(level) file=\(escapeProperty(path)),line=\(range.start.line),col=\(range.start.column),endLine=\(range.end.line),endColumn=\(range.end.column),title=\(finding.code)::\(escapeData(finding.message))\n"
        }.joined()
    }

    static func escapeData(_ text: String) -> String {
        text.replacingAll("%", with: "%25").replacingAll("\r", with: "%0D").replacingAll("\n", with: "%0A").escapingControlCharacters()
    }

    static func escapeProperty(_ text: String) -> String {
        escapeData(text).replacingAll(":", with: "%3A").replacingAll(",", with: "%2C")
    }
}
