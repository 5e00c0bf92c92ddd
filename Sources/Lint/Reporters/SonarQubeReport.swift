import Support

/// SonarQube's generic issue import as hadolint writes it.
enum SonarQubeReport {
    static func render(_ results: [LintResult], reportedPath: (String) -> String) -> String {
        "{\"issues\":[" + results.placedFindings.map { item in
            let line = item.finding.range.start.line
            let (severity, type): (String, String)
            switch item.finding.severity {
            case .error: (severity, type) = ("CRITICAL", "BUG")
            case .warning: (severity, type) = ("MAJOR", "CODE_SMELL")
            case .info: (severity, type) = ("MINOR", "CODE_SMELL")
            case .style: (severity, type) = ("INFO", "CODE_SMELL")
            }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("engineId"); writer.string("Hadolint")
            writer.key("primaryLocation")
            writer.beginObject()
            writer.key("filePath"); writer.string(reportedPath(item.path))
            writer.key("message"); writer.string(item.finding.message)
            writer.key("textRange")
            writer.beginObject()
            writer.key("endColumn"); writer.number(1)
            writer.key("endLine"); writer.number(line)
            writer.key("startColumn"); writer.number(0)
            writer.key("startLine"); writer.number(line)
            writer.endObject()
            writer.endObject()
            writer.key("ruleId"); writer.string(item.finding.code)
            writer.key("severity"); writer.string(severity)
            writer.key("type"); writer.string(type)
            writer.endObject()
            return writer.output
        }.joined(separator: ",") + "]}"
    }
}
