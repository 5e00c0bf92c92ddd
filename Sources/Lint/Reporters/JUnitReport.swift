import FoundationEssentials
import Support

/// JUnit XML as hadolint writes it: one failing test case per finding.
enum JUnitReport {
    static func render(_ results: [LintResult], reportedPath: (String) -> String, now: Date) -> String {
        let findings = results.placedFindings
        let (stamp, readable) = timestamps(now)
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><testsuites id=\"\(stamp)\" name=\"Hadolint run at \(readable)\" time=\"0.001\">"
        output += "<testsuite errors=\"0\" failures=\"\(findings.count)\" id=\"hadolint\" name=\"Hadolint 2.15.1\" time=\"0.001\""
        guard !findings.isEmpty else { return output + "/></testsuites>" }
        output += ">"
        for item in findings {
            let finding = item.finding
            let code = CheckstyleReport.hadolintAttribute(finding.code)
            output += "<testcase id=\"hadolint.rule.\(code)\" time=\"0.001\"><failure id=\"\(code)\" "
                + "message=\"\(CheckstyleReport.hadolintAttribute(finding.message))\" type=\"\(finding.severity.rawValue)\">File: \(text(reportedPath(item.path)))\n"
                + "Line: \(finding.range.start.line)\nCategory: Hadolint - Dockerfile Static Analysis\n"
                + "\(finding.severity.rawValue): \(text(finding.message))\n</failure></testcase>"
        }
        return output + "</testsuite></testsuites>"
    }

    private static func text(_ text: String) -> String {
        Quoting.xml(text, controls: .escape, apostrophe: false, quote: false)
    }

    /// `20261129_052239` and `2026-11-29 05:22:39` (UTC).
    private static func timestamps(_ date: Date) -> (String, String) {
        let time = UTCTime(secondsSince1970: Int(date.timeIntervalSince1970))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : String(value) }
        let (year, month, day) = (time.year, two(time.month), two(time.day))
        let (hour, minute, second) = (two(time.hour), two(time.minute), two(time.second))
        return ("\(year)\(month)\(day)_\(hour)\(minute)\(second)", "\(year)-\(month)-\(day) \(hour):\(minute):\(second)")
    }
}
