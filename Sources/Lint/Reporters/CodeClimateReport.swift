import Support

/// Code Climate issues (also GitLab's code quality report). The two dialects keep their own shapes: dockerkit's is
/// one JSON array with categories by rule family and FNV fingerprints; hadolint's `codeclimate` is issues separated by
/// spaces and its `gitlab_codeclimate` an array with SHA-256 fingerprints.
enum CodeClimateReport {
    /// Code Climate's severity names for ours, per dialect.
    static func severity(_ severity: Severity, dialect: ReportDialect) -> String {
        switch (severity, dialect) {
        case (.error, .dockerkit): return "critical"
        case (.error, .hadolint): return "blocker"
        case (.warning, _): return "major"
        case (.info, .dockerkit), (.style, .hadolint): return "minor"
        case (.style, .dockerkit), (.info, .hadolint): return "info"
        }
    }

    static func render(_ results: [LintResult]) -> String {
        var writer = JSONWriter()
        writer.beginArray()
        for (path, finding) in results.placedFindings {
            writer.beginObject()
            writer.key("type"); writer.string("issue")
            writer.key("check_name"); writer.string(finding.code)
            writer.key("description"); writer.string(finding.message)
            writer.key("categories"); writer.stringArray([finding.code.hasPrefix("DK4") ? "Security" : "Style"])
            writer.key("severity"); writer.string(severity(finding.severity, dialect: .dockerkit))
            writer.key("fingerprint"); writer.string(fingerprint("\(path):\(finding.code):\(finding.range.start.line):\(finding.message)"))
            writer.key("location")
            writer.beginObject()
            writer.key("path"); writer.string(path)
            writer.key("lines")
            writer.beginObject()
            writer.key("begin"); writer.number(finding.range.start.line)
            writer.key("end"); writer.number(finding.range.end.line)
            writer.endObject()
            writer.endObject()
            writer.endObject()
        }
        writer.endArray()
        return writer.output + "\n"
    }

    /// hadolint's shapes: `gitlab` is its `gitlab_codeclimate` (an array, with fingerprints), else `codeclimate`.
    static func renderHadolint(_ results: [LintResult], gitlab: Bool, reportedPath: (String) -> String) -> String {
        let issues = results.placedFindings.map { hadolintIssue($0.finding, path: reportedPath($0.path), fingerprint: gitlab) }
        return gitlab ? "[" + issues.joined(separator: ",") + "]" : issues.map { $0 + " " }.joined()
    }

    private static func hadolintIssue(_ finding: Finding, path: String, fingerprint: Bool) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key("categories"); writer.stringArray(["Bug Risk"])
        writer.key("check_name"); writer.string(finding.code)
        writer.key("description"); writer.string(finding.message)
        if fingerprint {
            // Stable across runs for the same problem at the same place, which is what GitLab compares.
            writer.key("fingerprint")
            writer.string(String(SHA256.hexDigest(Array("\(path):\(finding.range.start.line):\(finding.code):\(finding.message)".utf8)).prefix(40)))
        }
        writer.key("location")
        writer.beginObject()
        writer.key("lines")
        writer.beginObject()
        writer.key("begin"); writer.number(finding.range.start.line)
        writer.key("end"); writer.number(finding.range.start.line)
        writer.endObject()
        writer.key("path"); writer.string(path)
        writer.endObject()
        writer.key("severity"); writer.string(severity(finding.severity, dialect: .hadolint))
        writer.key("type"); writer.string("issue")
        writer.endObject()
        return writer.output
    }

    /// A stable 64-bit FNV-1a hash in hex (GitLab needs a fingerprint per issue).
    static func fingerprint(_ text: String) -> String {
        var hash: UInt64 = 0xcbf29ce484222325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100000001b3
        }
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
