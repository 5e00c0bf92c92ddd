import Support

/// Checkstyle XML: dockerkit's indented with columns; hadolint's on one line, column 1, escaping as hadolint does.
enum CheckstyleReport {
    static func render(_ results: [LintResult], dialect: ReportDialect, reportedPath: (String) -> String = { $0 }) -> String {
        switch dialect {
        case .dockerkit:
            var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n"
            for result in results {
                output += "  <file name=\"\(Quoting.xml(result.path))\">\n"
                for finding in result.findings {
                    output += "    <error line=\"\(finding.range.start.line)\" column=\"\(finding.range.start.column)\" severity=\"\(finding.severity == .style ? "info" : finding.severity.rawValue)\" message=\"\(Quoting.xml(finding.message))\" source=\"\(Quoting.xml(finding.code))\"/>\n"
                }
                output += "  </file>\n"
            }
            return output + "</checkstyle>\n"
        case .hadolint:
            var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><checkstyle version=\"4.3\">"
            for result in results {
                let name = hadolintAttribute(reportedPath(result.path))
                if result.findings.isEmpty {
                    output += "<file name=\"\(name)\"/>"
                    continue
                }
                output += "<file name=\"\(name)\">"
                for finding in result.findings {
                    output += "<error column=\"1\" line=\"\(finding.range.start.line)\" message=\"\(hadolintAttribute(finding.message))\" "
                        + "severity=\"\(finding.severity.rawValue)\" source=\"\(hadolintAttribute(finding.code))\"/>"
                }
                output += "</file>"
            }
            return output + "</checkstyle>"
        }
    }

    /// hadolint's attribute escaping: `&`, `<` and `"` (it leaves `>` alone).
    static func hadolintAttribute(_ text: String) -> String {
        Quoting.xml(text, controls: .escape, apostrophe: false, greaterThan: false)
    }
}
