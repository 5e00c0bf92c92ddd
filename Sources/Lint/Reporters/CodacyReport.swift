import Support

/// Codacy's format as hadolint writes it: one JSON object per finding, back to back.
enum CodacyReport {
    static func render(_ results: [LintResult]) -> String {
        results.placedFindings.map { item in
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("filename"); writer.string(item.path)
            writer.key("line"); writer.number(item.finding.range.start.line)
            writer.key("message"); writer.string(item.finding.message)
            writer.key("patternId"); writer.string(item.finding.code)
            writer.endObject()
            return writer.output
        }.joined()
    }
}
