import DockerfileSyntax
import Shell

/// DK501: TLS certificate or package signature checks turned off.
struct TlsVerificationDisabledRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK501", origin: .dockerkit, category: .security, name: "tls-verification-disabled", severity: .warning,
        summary: "Certificate or signature checking is turned off",
        rationale: """
            Without certificate and signature checks, anyone on the path between the build and the server (a proxy, a \
            hijacked mirror) can hand the build other code. Fix the trust store (install ca-certificates, add the \
            lab's CA) instead of switching the check off. Corpus count and hand-checked sample: docs/rules.md.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK501.md",
        triggeringExamples: [
            "FROM python:3.12\nRUN pip install ↓--trusted-host pypi.example.com requests==2.31.0\n",
            "FROM node:20\nRUN npm config set ↓strict-ssl false\n",
            "FROM node:20\nENV ↓NODE_TLS_REJECT_UNAUTHORIZED=0\n",
            "FROM debian:12\nENV ↓GIT_SSL_NO_VERIFY=true\n",
            "FROM python:3.12\nENV ↓PYTHONHTTPSVERIFY=0\n",
            "FROM rockylinux:9\nRUN yum install -y ↓--nogpgcheck tool-1.0\n",
            "FROM rockylinux:9\nRUN rpm -i ↓--nosignature tool.rpm\n",
            "FROM alpine:3.20\nRUN apk add ↓--allow-untrusted /tmp/tool.apk\n",
            "FROM debian:12\nRUN curl ↓-k -o /tmp/x https://example.com/x\n",
            "FROM debian:12\nRUN wget ↓--no-check-certificate https://example.com/x\n",
            "FROM debian:12\nRUN git -c ↓http.sslVerify=false clone https://example.com/r.git\n",
            "FROM debian:12\nRUN git config --global ↓http.sslVerify false\n",
            "FROM debian:12\nRUN sh -c 'curl ↓--insecure https://example.com/x | tar x'\n",
        ],
        nonTriggeringExamples: [
            "FROM python:3.12\nRUN pip install --index-url https://pypi.example.com/simple requests==2.31.0\n",
            "FROM debian:12\nRUN curl -fsSLo /tmp/x https://example.com/x\n",
            "FROM debian:12\nENV GIT_SSL_NO_VERIFY=\n",
            "FROM node:20\nENV NODE_TLS_REJECT_UNAUTHORIZED=1\n",
            "FROM debian:12\nRUN curl -kv\n",
            "FROM debian:12\nRUN git config --global http.sslVerify true\n",
        ])

    /// Variables whose setting turns checking off, and the values that do.
    static func disables(_ name: String, _ value: String) -> Bool {
        switch name {
        case "NODE_TLS_REJECT_UNAUTHORIZED", "PYTHONHTTPSVERIFY": return value == "0"
        case "GIT_SSL_NO_VERIFY": return !value.isEmpty && value != "0" && value.lowercased() != "false"
        default: return false
        }
    }

    /// Whether `disables` can hold for a variable of this name: the value is unquoted only for these.
    static func mayDisable(_ name: String) -> Bool {
        name == "NODE_TLS_REJECT_UNAUTHORIZED" || name == "PYTHONHTTPSVERIFY" || name == "GIT_SSL_NO_VERIFY"
    }

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for located in file.commands(baseNamed: ["pip", "pip3", "npm", "yarn", "yum", "dnf", "microdnf", "rpm", "apk", "curl", "wget", "git"])
            + file.commands(baseNameWhere: { $0.utf8.starts(with: "pip".utf8) && $0 != "pip" && $0 != "pip3" }) {
            let command = located.command
            let arguments = command.arguments
            func report(_ word: ShellWord, _ what: String) {
                findings.append(finding("\(what) turns off \(command.baseName)'s checks", at: file.range(of: word, in: located)))
            }
            switch command.baseName {
            case _ where command.baseName.utf8.starts(with: "pip".utf8):
                if let word = arguments.first(where: { $0.value == "--trusted-host" || $0.value.hasPrefix("--trusted-host=") }) { report(word, "--trusted-host") }
            case "npm", "yarn":
                if let index = arguments.firstIndex(where: { $0.value == "strict-ssl" }), index + 1 < arguments.count,
                   arguments[index + 1].value == "false", arguments.contains(where: { $0.value == "set" }) {
                    report(arguments[index], "strict-ssl false")
                }
            case "yum", "dnf", "microdnf":
                if let word = arguments.first(where: { $0.value == "--nogpgcheck" }) { report(word, "--nogpgcheck") }
            case "rpm":
                if let word = arguments.first(where: { ["--nosignature", "--nodigest", "--nogpg"].contains($0.value) }) { report(word, word.value) }
            case "apk":
                if let word = arguments.first(where: { $0.value == "--allow-untrusted" }) { report(word, "--allow-untrusted") }
            case "curl":
                // `-k` alone or in a group of short flags (`-fsSLk`), or `--insecure`; a request must follow.
                if arguments.contains(where: { $0.value.contains("://") }),
                   let word = arguments.first(where: { $0.value == "--insecure" || ($0.value.hasPrefix("-") && !$0.value.hasPrefix("--") && $0.value.contains("k")) }) {
                    report(word, word.value)
                }
            case "wget":
                if let word = arguments.first(where: { $0.value == "--no-check-certificate" }) { report(word, "--no-check-certificate") }
            case "git":
                if let word = arguments.first(where: { $0.value.lowercased() == "http.sslverify=false" }) { report(word, "http.sslVerify=false") }
                if let index = arguments.firstIndex(where: { $0.value.lowercased() == "http.sslverify" }), index + 1 < arguments.count,
                   ["false", "0", "no", "off"].contains(arguments[index + 1].value.lowercased()) {
                    report(arguments[index], "http.sslVerify false")
                }
            default:
                break
            }
        }
        for index in file.instructionIndices(of: .env, .arg) {
            let instruction = file.instructions[index]
            if instruction.kind == .env, let env = KeyValueInstruction(instruction) {
                for pair in env.pairs where Self.mayDisable(pair.key.text) && Self.disables(pair.key.text, pair.unquotedValue(escapeToken: file.tree.escapeToken)) {
                    findings.append(finding("\(pair.key.text)=\(pair.unquotedValue(escapeToken: file.tree.escapeToken)) turns off certificate checks", at: pair.key.range))
                }
            } else if let arg = ArgInstruction(instruction) {
                for definition in arg.definitions where Self.disables(definition.name, definition.defaultValue ?? "") {
                    findings.append(finding("\(definition.name)=\(definition.defaultValue ?? "") turns off certificate checks", at: definition.token.range))
                }
            }
        }
        return findings.sorted { $0.range.start.offset < $1.range.start.offset }
    }
}
