import DockerfileSyntax
import Shell

/// DK401: a literal password set in the image.
struct LiteralPasswordRule: LintRule {
    static let scope = RuleScope.instruction
    static let description = RuleDescription(
        code: "DK401", origin: .dockerkit, category: .security, name: "literal-password", severity: .error,
        summary: "A literal password is set in the image",
        rationale: """
            Everyone who can pull the image can read the password from its history, and every container shares it. \
            Log in with keys, or set passwords at run time from a secret. A password hash is as good as the password \
            for anyone with time to crack it.
            """,
        documentation: "https://github.com/dockerkit/dockerkit/blob/main/docs/rules/DK401.md",
        triggeringExamples: ["FROM debian:12\nRUN echo ↓'root:root' | chpasswd\n",
                             "FROM debian:12\nRUN useradd -m -p ↓secret lab\n",
                             "FROM debian:12\nRUN echo ↓hunter2 | passwd --stdin lab\n",
                             "FROM debian:12\nRUN echo -e ↓\"123456\\n123456\" | passwd root\n",
                             "FROM debian:12\nRUN x11vnc -storepasswd ↓123456 /root/.vnc/passwd\n",
                             "FROM debian:12\nRUN echo ↓123456 | vncpasswd -f > /root/.vnc/passwd\n",
                             "FROM debian:12\nRUN echo ↓'root:$6$salt$hash' | chpasswd -e\n",
                             "FROM debian:12\nRUN useradd -m -p ↓'$6$salt$hash' lab\n",
                             "FROM debian:12\nRUN useradd -m -p \"$(openssl passwd -1 ↓secret)\" lab\n"],
        nonTriggeringExamples: ["FROM debian:12\nRUN useradd -m lab\n",
                                "FROM debian:12\nRUN --mount=type=secret,id=pw echo \"lab:$(cat /run/secrets/pw)\" | chpasswd\n",
                                "FROM debian:12\nRUN echo \"lab:${LAB_PASSWORD}\" | chpasswd\n",
                                "FROM debian:12\nRUN useradd -m -p '*' lab\n",
                                "FROM debian:12\nRUN x11vnc -storepasswd\n",
                                "FROM debian:12\nRUN openssl passwd -6 -stdin < /run/secrets/pw\n",
                                "FROM debian:12\nRUN passwd -d lab\n"])

    static let commands = ["chpasswd", "passwd", "useradd", "usermod", "adduser", "vncpasswd", "tigervncpasswd", "x11vnc", "openssl"]

    func check(_ file: LintedFile) -> [Finding] {
        var findings: [Finding] = []
        for index in file.runInstructionIndices(running: Self.commands) {
            let commands = file.commands(of: index)
            for position in commands.indices {
                let located = commands[position]
                let command = located.command
                let arguments = command.arguments
                func report(_ word: ShellWord, in owner: LocatedCommand, _ what: String) {
                    findings.append(finding(description.summary + " (\(what))", at: file.range(of: word, in: owner)))
                }
                /// The literal a pipe (`echo pw | passwd`) or a here-string feeds this command.
                func fedLiteral() -> (ShellWord, LocatedCommand)? {
                    if let word = command.redirections.first(where: { isLiteral($0, in: located, file: file) && $0.value.contains(":") }) {
                        return (word, located)
                    }
                    guard command.pipelineIndex > 0, position > commands.startIndex else { return nil }
                    let feeder = commands[position - 1]
                    guard feeder.command.pipelineIndex == command.pipelineIndex - 1, ["echo", "printf"].contains(feeder.command.baseName) else { return nil }
                    let words = feeder.command.arguments.filter { !$0.value.hasPrefix("-") }
                    guard let first = words.first, words.allSatisfy({ isLiteral($0, in: feeder, file: file) }) else { return nil }
                    return (first, feeder)
                }
                switch command.baseName {
                case "chpasswd":
                    if let (word, owner) = fedLiteral() { report(word, in: owner, "chpasswd") }
                case "passwd":
                    if let (word, owner) = fedLiteral() { report(word, in: owner, "passwd") }
                case "vncpasswd", "tigervncpasswd":
                    if arguments.contains(where: { $0.value == "-f" }), let (word, owner) = fedLiteral() { report(word, in: owner, "\(command.baseName) -f") }
                case "x11vnc":
                    // `-storepasswd PASS FILE`; with one word or none it asks, or reads a file.
                    if let flag = arguments.firstIndex(where: { $0.value == "-storepasswd" }), flag + 2 < arguments.count,
                       !arguments[flag + 1].value.hasPrefix("-"), isLiteral(arguments[flag + 1], in: located, file: file) {
                        report(arguments[flag + 1], in: located, "x11vnc -storepasswd")
                    }
                case "useradd", "usermod", "adduser":
                    if let flag = arguments.firstIndex(where: { $0.value == "-p" || $0.value == "--password" }), flag + 1 < arguments.count,
                       isLiteral(arguments[flag + 1], in: located, file: file), !isLockMarker(arguments[flag + 1].value) {
                        report(arguments[flag + 1], in: located, "\(command.baseName) -p")
                    }
                case "openssl":
                    guard arguments.first?.value == "passwd" else { break }
                    if arguments.contains(where: { $0.value == "-stdin" }) {
                        if let (word, owner) = fedLiteral() { report(word, in: owner, "openssl passwd") }
                        break
                    }
                    // The password is the last word that is neither an option nor an option's value.
                    var skipNext = false
                    var password: ShellWord?
                    for argument in arguments.dropFirst() {
                        if skipNext { skipNext = false; continue }
                        if ["-salt", "-in"].contains(argument.value) { skipNext = true; continue }
                        if argument.value.hasPrefix("-") { continue }
                        password = argument
                    }
                    if let password, isLiteral(password, in: located, file: file) { report(password, in: located, "openssl passwd") }
                default:
                    break
                }
            }
        }
        return findings
    }
}

/// Whether a word is the same text whatever the build's environment: no `$` outside single quotes.
private func isLiteral(_ word: ShellWord, in command: LocatedCommand, file: LintedFile) -> Bool {
    guard word.value.contains("$") else { return !word.value.isEmpty }
    var inSingleQuotes = false
    var escaped = false
    for character in file.text(file.range(of: word, in: command)) {
        if escaped { escaped = false; continue }
        switch character {
        case "\\" where !inSingleQuotes: escaped = true
        case "'": inSingleQuotes.toggle()
        case "$" where !inSingleQuotes: return false
        default: break
        }
    }
    return true
}

/// `*` and `!…` in the password field are not passwords: they mean "no password can match" (key-only logins).
private func isLockMarker(_ value: String) -> Bool {
    value.hasPrefix("*") || value.hasPrefix("!")
}
