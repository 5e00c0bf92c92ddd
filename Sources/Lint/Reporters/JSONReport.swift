import Support

/// hadolint's JSON array; dockerkit's adds each finding's column, end and whether a fix applies.
enum JSONReport {
    static func render(_ results: [LintResult], dialect: ReportDialect) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for (index, item) in results.placedFindings.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            append(item, dialect: dialect, to: &bytes)
        }
        bytes.append(contentsOf: dialect == .dockerkit ? "]\n".utf8 : "]".utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends one finding's object to UTF-8 bytes: keys in a fixed order, written straight as bytes (a report of a
    /// large file has hundreds of thousands of them).
    static func append(_ item: PlacedFinding, dialect: ReportDialect, to output: inout [UInt8]) {
        let finding = item.finding
        output.append(contentsOf: #"{"code":"#.utf8)
        JSONWriter.appendQuoted(finding.code, to: &output)
        switch dialect {
        case .hadolint:
            output.append(contentsOf: #","column":1"#.utf8)
        case .dockerkit:
            output.append(contentsOf: #","column":"#.utf8)
            JSONWriter.appendNumber(finding.range.start.column, to: &output)
            output.append(contentsOf: #","endColumn":"#.utf8)
            JSONWriter.appendNumber(finding.range.end.column, to: &output)
            output.append(contentsOf: #","endLine":"#.utf8)
            JSONWriter.appendNumber(finding.range.end.line, to: &output)
        }
        output.append(contentsOf: #","file":"#.utf8)
        JSONWriter.appendQuoted(item.path, to: &output)
        output.append(contentsOf: #","level":"#.utf8)
        JSONWriter.appendQuoted(finding.severity.rawValue, to: &output)
        output.append(contentsOf: #","line":"#.utf8)
        JSONWriter.appendNumber(finding.range.start.line, to: &output)
        output.append(contentsOf: #","message":"#.utf8)
        JSONWriter.appendQuoted(finding.message, to: &output)
        if dialect == .dockerkit {
            // Not in hadolint's shape, which readers ignore: whether `--fix` (safe) or `--fix --unsafe-fixes` fixes it.
            output.append(contentsOf: #","fix":"#.utf8)
            if let applicability = finding.fix?.applicability.rawValue {
                JSONWriter.appendQuoted(applicability, to: &output)
            } else {
                output.append(contentsOf: "null".utf8)
            }
        }
        output.append(UInt8(ascii: "}"))
    }
}
