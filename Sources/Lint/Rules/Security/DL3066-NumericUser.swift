import DockerfileSyntax

/// DL3066: non-numeric USER.
struct NumericUserRule: LintRule {
    static let description = RuleDescription(
        code: "DL3066", origin: .hadolint, category: .security, name: "numeric-user", severity: .info,
        summary: "Non-numeric user-id may not be resolvable by host system",
        rationale: "Kubernetes' runAsNonRoot and host tools need a numeric UID to check.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3066",
        triggeringExamples: ["FROM debian:12\n↓USER lab\n"],
        nonTriggeringExamples: ["FROM debian:12\nUSER 1000:1000\n", "FROM debian:12\nARG UID=1000\nUSER ${UID}\n"])

    func check(_ file: LintedFile) -> [Finding] {
        var arguments = Set<String>()
        return reportInstructions(in: file, of: .arg, .user) { instruction in
            if let arg = ArgInstruction(instruction) { arguments.formUnion(arg.definitions.map(\.name)) }
            guard instruction.kind == .user, let user = instruction.values.first?.text else { return false }
            let id = user.split(separator: ":", omittingEmptySubsequences: false).first.map(String.init) ?? ""
            if id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) { return false }
            return !Self.references(id, anyOf: arguments)
        }
    }

    /// Whether `text` holds `${NAME}` or `$` followed by a text starting with NAME, for a NAME of `names` (hadolint's
    /// test), looking up what follows each `$` instead of trying every name.
    static func references(_ text: String, anyOf names: Set<String>) -> Bool {
        var rest = Substring(text)
        while let dollar = rest.firstIndex(of: "$") {
            let after = rest[rest.index(after: dollar)...]
            if after.hasPrefix("{"), let close = after.firstIndex(of: "}"), names.contains(String(after[after.index(after: after.startIndex)..<close])) {
                return true
            }
            var end = after.startIndex
            while end < after.endIndex {
                end = after.index(after: end)
                if names.contains(String(after[..<end])) { return true }
            }
            rest = after
        }
        return false
    }
}
