import DockerfileSyntax
import Lint
import Support

/// A document's findings as the `diagnostics` array of `textDocument/publishDiagnostics`: at most `limit` of them
/// (errors first, then by position), and when some are left out, one more saying how many and how to see them all.
/// An editor cannot usefully show thousands, and each one costs the client time on every edit.
struct DiagnosticList {
    /// What every diagnostic of one code shares (code, link, source), written once per code rather than per finding.
    private var codeParts: [String: [UInt8]] = [:]
    /// Whether the client reads `codeDescription` (the link to a rule's page): LSP 3.16's `codeDescriptionSupport`.
    /// Clients that do not say so are not sent it.
    var linksRules = false {
        didSet { codeParts.removeAll() }
    }

    /// The JSON array for `findings` (sorted by position) in `document`; `known` are the baseline's, shown as hints.
    mutating func json(_ findings: [Finding], known: [Finding], in document: TextDocument, limit: Int) -> String {
        // Positions into findings then known: the findings themselves are not copied.
        let total = findings.count + known.count
        func item(_ position: Int) -> (finding: Finding, isKnown: Bool) {
            position < findings.count ? (findings[position], false) : (known[position - findings.count], true)
        }
        let hidden = limit > 0 ? max(0, total - limit) : 0
        let shown: [Int]
        if hidden == 0 {
            shown = Array(0..<total)
        } else {
            // Keep the most severe; among equals, the first in the file. The rest are counted, not dropped silently.
            var byRank = [[Int]](repeating: [], count: 5)
            // Severities read in place: copying each finding would count references to its strings and fix.
            for position in findings.indices { byRank[Self.lspSeverity(findings[position].severity, isKnown: false)].append(position) }
            for position in known.indices { byRank[Self.lspSeverity(known[position].severity, isKnown: true)].append(findings.count + position) }
            var kept: [Int] = []
            for positions in byRank where kept.count < limit { kept += positions.prefix(limit - kept.count) }
            shown = kept.sorted()
        }
        var output: [UInt8] = [UInt8(ascii: "[")]
        output.reserveCapacity(shown.count * 300 + 300)
        for (index, position) in shown.enumerated() {
            if index > 0 { output.append(UInt8(ascii: ",")) }
            let (finding, isKnown) = item(position)
            output += "{\"range\":".utf8
            Self.appendRange(finding.range, in: document, to: &output)
            output += ",\"severity\":".utf8
            Self.appendNumber(Self.lspSeverity(finding.severity, isKnown: isKnown), to: &output)
            output.append(UInt8(ascii: ","))
            output += parts(for: finding.code)
            output += ",\"message\":".utf8
            JSONWriter.appendQuoted(isKnown ? finding.message + " (in the baseline)" : finding.message, to: &output)
            output.append(UInt8(ascii: "}"))
        }
        if hidden > 0 {
            if !shown.isEmpty { output.append(UInt8(ascii: ",")) }
            let message = "\(hidden) more findings are not shown: the editor gets the first \(limit) (most severe first). "
                + "`dockerkit lint` lists them all; the server's `maxDiagnostics` initialization option changes the limit (0: none)"
            output += "{\"range\":{\"start\":{\"line\":0,\"character\":0},\"end\":{\"line\":0,\"character\":0}},\"severity\":3,".utf8
            output += "\"source\":\"dockerkit\",\"message\":\(JSONWriter.quoted(message))}".utf8
        }
        output.append(UInt8(ascii: "]"))
        return String(decoding: output, as: UTF8.self)
    }

    /// LSP's severity: 1 error, 2 warning, 3 information, 4 hint (findings the baseline accepts are hints).
    static func lspSeverity(_ severity: Severity, isKnown: Bool) -> Int {
        if isKnown { return 4 }
        switch severity {
        case .error: return 1
        case .warning: return 2
        case .info: return 3
        case .style: return 4
        }
    }

    private mutating func parts(for code: String) -> [UInt8] {
        if let known = codeParts[code] { return known }
        let origin = RuleRegistry.rule(code)?.description.origin
        let source = origin == .hadolint ? "hadolint" : origin == .buildkit ? "buildkit" : "dockerkit"
        let link = linksRules ? "\"codeDescription\":{\"href\":\(JSONWriter.quoted(RuleDocumentation.helpURI(for: code)))}," : ""
        let text = "\"code\":\(JSONWriter.quoted(code)),\(link)\"source\":\"\(source)\""
        codeParts[code] = Array(text.utf8)
        return Array(text.utf8)
    }

    static func appendRange(_ range: SourceRange, in document: TextDocument, to output: inout [UInt8]) {
        let start = document.position(of: range.start.offset)
        let end = document.position(of: range.end.offset)
        output += "{\"start\":{\"line\":".utf8
        appendNumber(start.line, to: &output)
        output += ",\"character\":".utf8
        appendNumber(start.character, to: &output)
        output += "},\"end\":{\"line\":".utf8
        appendNumber(end.line, to: &output)
        output += ",\"character\":".utf8
        appendNumber(end.character, to: &output)
        output += "}}".utf8
    }

    /// A non-negative number's decimal digits.
    static func appendNumber(_ number: Int, to output: inout [UInt8]) {
        let value = max(0, number)
        var divisor = 1
        while divisor <= value / 10 { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            output.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
