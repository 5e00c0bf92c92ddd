import Support

/// hadolint's JSON array; dockerkit's adds each finding's column, end and whether a fix applies.
enum JSONReport {
    static func render(_ results: [LintResult], dialect: ReportDialect) -> String {
        let objects = results.placedFindings.map { object($0, dialect: dialect) }.joined(separator: ",")
        return dialect == .dockerkit ? "[" + objects + "]\n" : "[" + objects + "]"
    }

    /// One finding's object.
    static func object(_ item: PlacedFinding, dialect: ReportDialect) -> String {
        let finding = item.finding
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("code"); writer.string(finding.code)
        switch dialect {
        case .hadolint:
            writer.key("column"); writer.number(1)
        case .dockerkit:
            writer.key("column"); writer.number(finding.range.start.column)
            writer.key("endColumn"); writer.number(finding.range.end.column)
            writer.key("endLine"); writer.number(finding.range.end.line)
        }
        writer.key("file"); writer.string(item.path)
        writer.key("level"); writer.string(finding.severity.rawValue)
        writer.key("line"); writer.number(finding.range.start.line)
        writer.key("message"); writer.string(finding.message)
        if dialect == .dockerkit {
            // Not in hadolint's shape, which readers ignore: whether `--fix` (safe) or `--fix --unsafe-fixes` fixes it.
            writer.key("fix"); writer.optionalString(finding.fix?.applicability.rawValue)
        }
        writer.endObject()
        return writer.output
    }
}
