import DockerfileSyntax

/// DL3044: an ENV referring to a variable defined in the same ENV.
struct EnvSelfReferenceRule: LintRule {
    static let description = RuleDescription(
        code: "DL3044", origin: .hadolint, category: .instructions, name: "env-self-reference", severity: .error,
        summary: "Do not refer to an environment variable within the same `ENV` statement where it is defined.",
        rationale: "Values in one ENV are expanded with the environment before it; the new value is not seen yet.",
        documentation: "https://github.com/hadolint/hadolint/wiki/DL3044",
        triggeringExamples: ["FROM debian:12\n↓ENV A=1 B=$A\n"],
        nonTriggeringExamples: ["FROM debian:12\nENV A=1\nENV B=$A\n", "FROM debian:12\nENV A=1\nENV A=2 B=$A\n"])

    static func references(_ name: String, in text: String) -> Bool {
        guard text.utf8.contains(UInt8(ascii: "$")) else { return false }
        if text.contains("${\(name)}") { return true }
        let bytes = Array(text.utf8)
        let pattern = "$" + name
        var start = 0
        while let found = text.utf8Offset(of: pattern, from: start) {
            let after = found + pattern.utf8.count
            guard after < bytes.count else { return true }
            let next = bytes[after]
            let continuesName = (next >= 0x30 && next <= 0x39) || (next | 0x20 >= 0x61 && next | 0x20 <= 0x7A) || next == 0x5F || next >= 0x80
            if !continuesName { return true }
            start = found + 1
        }
        return false
    }

    func check(_ file: LintedFile) -> [Finding] {
        var defined = Set<String>()
        return reportInstructions(in: file, of: .arg, .env) { instruction in
            if let arg = ArgInstruction(instruction) { defined.formUnion(arg.definitions.map(\.name)) }
            guard instruction.kind == .env, let env = KeyValueInstruction(instruction) else { return false }
            defer { defined.formUnion(env.pairs.map(\.key.text)) }
            for (index, pair) in env.pairs.enumerated() where !defined.contains(pair.key.text) {
                let others = env.pairs.enumerated().filter { $0.offset != index }.map(\.element.value.text)
                if others.contains(where: { Self.references(pair.key.text, in: $0) }) { return true }
            }
            return false
        }
    }
}
