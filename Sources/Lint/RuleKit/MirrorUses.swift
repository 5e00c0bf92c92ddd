import Knowledge
import DockerfileSyntax
import Shell

/// A package mirror host written into the image, found in a RUN command or an ENV value.
struct MirrorUse {
    /// The host, or the host-like fragment a sed rewrite writes (`mirrors.aliyun.`).
    let host: String
    /// `ubuntu`, `debian`, `pypi`, `conda` or `npm`.
    let ecosystem: String
    /// Where the host text stands in the source, when it is written there verbatim.
    let hostRange: SourceRange?
    /// Where the finding points.
    let range: SourceRange
    let instructionIndex: Int
    /// Whether the RUN (or ENV) does nothing but this rewrite.
    let isWholeInstruction: Bool
}

enum MirrorUses {
    static let aptSourceFiles = ["/etc/apt/sources.list", "sources.list.d/"]
    /// Hosts that are upstream, not mirrors (a static is built on first use, so files without candidates never
    /// load the catalog, and it is built once rather than on every lookup). PyTorch's wheel index is where its CUDA
    /// builds are published, not a mirror of PyPI.
    static let upstreamHosts: Set<String> =
        MirrorCatalog.shared.upstreamHosts.union(["security.debian.org", "deb.debian.org", "ports.ubuntu.com", "download.pytorch.org"])
    /// Commands that can write a mirror host (pip and python are matched by prefix, as `mayInstallWithPip` does).
    static let relevantCommands: Set<String> = ["sed", "echo", "printf", "tee", "cat", "conda", "mamba", "micromamba", "npm", "yarn", "pnpm"]

    /// Commands whose mirror hosts are always inside a URL (`urls(in:)`).
    static let writesOnlyURLs: Set<String> = ["echo", "printf", "tee", "cat"]

    /// Whether a command may write a mirror's host: one of the commands that can, and for echo, printf, tee and cat
    /// (which write a host only as part of a URL) one with a URL among its words; most of them (`echo $V`) have none.
    /// ``ScriptFacts`` asks this of every command when a script is read.
    static func mayWriteHost(_ command: ShellCommand) -> Bool {
        let baseName = command.baseName
        guard relevantCommands.contains(baseName) || ShellCommand.mayInstallWithPip(baseName) else { return false }
        return !writesOnlyURLs.contains(baseName) || command.argumentValues.contains(where: { $0.contains("://") })
    }

    /// Every mirror host written by the file.
    static func find(in file: LintedFile) -> [MirrorUse] {
        var uses: [MirrorUse] = []
        // Only the RUNs whose scripts were found to hold such a command (``ScriptFacts``) are read again.
        for index in file.runInstructionIndices where file.scriptFacts[index].contains(.mayWriteMirrorHost) {
            for located in file.commands(of: index) where mayWriteHost(located.command) {
                uses += self.uses(of: located, in: file)
            }
        }
        return uses + envUses(in: file)
    }

    /// The hosts one command writes.
    private static func uses(of located: LocatedCommand, in file: LintedFile) -> [MirrorUse] {
        var uses: [MirrorUse] = []
        let alone = file.commands(of: located.instructionIndex).count == 1
        let aptEcosystem = file.stage(of: located.instructionIndex)?.distribution?.name == "debian" ? "debian" : "ubuntu"
        for (host, ecosystem, word) in hosts(written: located.command, aptEcosystem: aptEcosystem)
        where !host.isEmpty && !upstreamHosts.contains(host) {
            let wordRange = file.range(of: word, in: located)
            let hostRange = locate(host, in: word, file: file, located: located)
            uses.append(MirrorUse(
                host: host, ecosystem: ecosystem, hostRange: hostRange, range: hostRange ?? wordRange,
                instructionIndex: located.instructionIndex, isWholeInstruction: alone))
        }
        return uses
    }

    /// The hosts a command writes, with their ecosystem and the word that holds each.
    private static func hosts(written command: ShellCommand, aptEcosystem: String) -> [(String, String, ShellWord)] {
        var found: [(String, String, ShellWord)] = []
        let touchesAptSources = (command.arguments + command.redirections).contains { word in
            aptSourceFiles.contains { word.value.contains($0) }
        }
        switch command.baseName {
        case "sed" where touchesAptSources:
            for argument in command.arguments {
                guard let (pattern, replacement) = sedSubstitution(argument.value), pattern != replacement else { continue }
                let host = replacement.contains("://") ? hostOf(replacement) : hostFragment(replacement)
                if host.contains(".") { found.append((host, pattern.contains("debian") ? "debian" : aptEcosystem, argument)) }
            }
        case "echo" where touchesAptSources, "printf" where touchesAptSources, "tee" where touchesAptSources, "cat" where touchesAptSources:
            for argument in command.arguments {
                for url in urls(in: argument.value) { found.append((hostOf(url), aptEcosystem, argument)) }
            }
        case _ where command.baseName.hasPrefix("pip") || (command.baseName.hasPrefix("python") && command.argumentValues.contains("pip")):
            for (index, argument) in command.arguments.enumerated() {
                let value = argument.value
                if ["-i", "--index-url", "--extra-index-url"].contains(value), index + 1 < command.arguments.count {
                    found.append((hostOf(command.arguments[index + 1].value), "pypi", command.arguments[index + 1]))
                } else if value.hasPrefix("--index-url=") || value.hasPrefix("--extra-index-url=") {
                    found.append((hostOf(String(value.drop { $0 != "=" }.dropFirst())), "pypi", argument))
                } else if value.hasPrefix("global.index-url") || value.hasPrefix("global.extra-index-url") {
                    if index + 1 < command.arguments.count {
                        found.append((hostOf(command.arguments[index + 1].value), "pypi", command.arguments[index + 1]))
                    }
                }
            }
        case "conda", "mamba", "micromamba":
            for argument in command.arguments where argument.value.contains("://") {
                found.append((hostOf(argument.value), "conda", argument))
            }
        case "npm", "yarn", "pnpm":
            for (index, argument) in command.arguments.enumerated() {
                if argument.value == "registry", index + 1 < command.arguments.count {
                    found.append((hostOf(command.arguments[index + 1].value), "npm", command.arguments[index + 1]))
                } else if argument.value.hasPrefix("--registry=") {
                    found.append((hostOf(String(argument.value.dropFirst("--registry=".count))), "npm", argument))
                }
            }
        default:
            break
        }
        if ["echo", "printf", "tee"].contains(command.baseName) && !touchesAptSources {
            let target = (command.arguments + command.redirections).map(\.value).joined(separator: " ")
            let ecosystem = target.contains("pip") ? "pypi" : target.contains("condarc") ? "conda" : target.contains("npmrc") ? "npm" : nil
            if let ecosystem {
                for argument in command.arguments {
                    for url in urls(in: argument.value) { found.append((hostOf(url), ecosystem, argument)) }
                }
            }
        }
        return found
    }

    /// Mirror hosts set through ENV (`PIP_INDEX_URL`, `CONDA_CHANNEL_ALIAS`, `NPM_CONFIG_REGISTRY`, …).
    private static func envUses(in file: LintedFile) -> [MirrorUse] {
        var uses: [MirrorUse] = []
        for index in file.instructionIndices(of: .env) {
            let instruction = file.instructions[index]
            guard let env = KeyValueInstruction(instruction) else { continue }
            for pair in env.pairs where ["PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "CONDA_CHANNEL_ALIAS", "NPM_CONFIG_REGISTRY"].contains(pair.key.text.uppercased()) {
                let value = pair.unquotedValue(escapeToken: file.tree.escapeToken)
                let host = hostOf(value)
                guard !host.isEmpty, !upstreamHosts.contains(host) else { continue }
                let ecosystem = pair.key.text.uppercased().hasPrefix("PIP") ? "pypi" : pair.key.text.uppercased().hasPrefix("CONDA") ? "conda" : "npm"
                let offset = pair.value.text.firstRange(of: host).map { pair.value.text.utf8.distance(from: pair.value.text.startIndex, to: $0.lowerBound) }
                let hostRange = offset.map { file.tree.lineTable.range((pair.value.range.start.offset + $0)..<(pair.value.range.start.offset + $0 + host.utf8.count)) }
                uses.append(MirrorUse(
                    host: host, ecosystem: ecosystem, hostRange: hostRange, range: hostRange ?? pair.value.range,
                    instructionIndex: index, isWholeInstruction: env.pairs.count == 1))
            }
        }
        return uses
    }

    /// The source range of `host` inside a word, when the word's source text contains it verbatim on one line.
    static func locate(_ host: String, in word: ShellWord, file: LintedFile, located: LocatedCommand) -> SourceRange? {
        let wordRange = file.range(of: word, in: located)
        guard wordRange.start.line == wordRange.end.line else { return nil }
        let source = file.text(wordRange)
        guard let found = source.firstRange(of: host) else { return nil }
        let offset = wordRange.start.offset + source.utf8.distance(from: source.startIndex, to: found.lowerBound)
        return file.tree.lineTable.range(offset..<(offset + host.utf8.count))
    }

    /// Splits `s<delimiter>pattern<delimiter>replacement<delimiter>flags`.
    static func sedSubstitution(_ expression: String) -> (String, String)? {
        let characters = Array(expression)
        guard characters.count >= 4, characters[0] == "s" else { return nil }
        let delimiter = characters[1]
        guard !delimiter.isLetter, !delimiter.isNumber, delimiter != " " else { return nil }
        var parts: [String] = [""]
        var index = 2
        while index < characters.count && parts.count <= 2 {
            let character = characters[index]
            if character == "\\" && index + 1 < characters.count {
                parts[parts.count - 1].append(characters[index + 1] == delimiter ? String(delimiter) : "\\" + String(characters[index + 1]))
                index += 2
                continue
            }
            if character == delimiter { parts.append("") } else { parts[parts.count - 1].append(character) }
            index += 1
        }
        guard parts.count >= 3 else { return nil }
        return (parts[0], parts[1])
    }

    /// The host-like part of a sed replacement such as `mirrors.aliyun.` or `@mirrors.ustc.edu.cn@`.
    static func hostFragment(_ text: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-")
        let runs = text.split { !allowed.contains($0) }
        return runs.max { $0.filter { $0 == "." }.count < $1.filter { $0 == "." }.count }.map { String($0).lowercased() } ?? ""
    }

    /// URLs (`http://…`, `https://…`) inside a text.
    static func urls(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let start = rest.firstRange(of: "http") {
            let candidate = rest[start.lowerBound...]
            if candidate.hasPrefix("http://") || candidate.hasPrefix("https://") {
                let end = candidate.firstIndex { $0 == " " || $0 == "\"" || $0 == "'" || $0 == "\n" } ?? candidate.endIndex
                found.append(String(candidate[..<end]))
                rest = candidate[end...]
            } else {
                rest = rest[start.upperBound...]
            }
        }
        return found
    }
}
