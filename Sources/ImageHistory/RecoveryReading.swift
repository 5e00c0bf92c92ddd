import Support
import FoundationEssentials
import DockerfileSyntax

/// One history entry read back into an instruction.
struct RecoveredStep {
    /// Upper-case keyword (`RUN`, `ENV`, …), or nil for entries with no instruction (import, commit).
    var keyword: String?
    /// The text after the keyword as the builder recorded it.
    var arguments: String
    /// Build arguments in scope (`|N NAME=value …`).
    var buildArguments: [(name: String, value: String)] = []
    var isBuildKit: Bool
    var entry: HistoryEntry
    /// The layer (oldest first) this step made, when the source says which steps made layers.
    var layerIndex: Int?
    /// For a COPY/ADD that made no layer of its own: the layer a builder that squashes steps (buildah bud) put its
    /// files in, together with what later steps changed.
    var squashedLayerIndex: Int?
}

/// Reading history entries: which are the base's, and each entry's keyword, arguments and build arguments.
extension DockerfileRecovery {
    /// Without --base-layers: BuildKit's first entry starts this image; for the classic builder, leading entries
    /// with no instruction (docker import) are the base.
    static func defaultBaseCount(_ history: [HistoryEntry]) -> Int {
        if let first = history.firstIndex(where: { $0.comment == buildKitComment }) { return first }
        return history.prefix { $0.createdBy.isEmpty }.count
    }

    /// Reads a history entry's `CreatedBy` into keyword and arguments, for both builders.
    /// The classic builder frames a metadata instruction as the shell, then `#(nop) `, at the very start of the entry
    /// (`/bin/sh -c #(nop)  CMD ["x"]`). `#(nop)` anywhere else is text a RUN wrote, and reading it as an instruction
    /// would let a RUN smuggle one in (`RUN echo x #(nop)  ONBUILD RUN …`): the framing decides, not the text.
    /// A SHELL entry is framed by the shell it sets (`/bin/sh -ec #(nop)  SHELL [/bin/sh -ec]`).
    static func classicInstruction(_ text: Substring, shell: [String]) -> Substring? {
        for prefix in Set([shell.joined(separator: " "), "/bin/sh -c"]) where text.hasPrefix(prefix + " #(nop) ") {
            return text.dropFirst(prefix.count + " #(nop) ".count)
        }
        guard let nop = text.firstRange(of: " #(nop) ") else { return nil }
        let prefix = text[..<nop.lowerBound]
        let instruction = text[nop.upperBound...].drop { $0 == " " }
        guard instruction.hasPrefix("SHELL ["), instruction.hasSuffix("]"),
              instruction.dropFirst("SHELL [".count).dropLast() == prefix else { return nil }
        return text[nop.upperBound...]
    }

    /// Whether the history is buildah's (podman's too): it frames every instruction as `/bin/sh -c #(nop) ` with one
    /// space, where the classic builder puts two (but for WORKDIR, COPY and ADD), prints instructions as written,
    /// variables and all, and prints `/bin/sh -c` before every RUN whatever SHELL said.
    static func isBuildahHistory(_ history: [HistoryEntry]) -> Bool {
        history.contains { entry in
            let framing = "/bin/sh -c #(nop) "
            guard entry.comment != buildKitComment, entry.createdBy.hasPrefix(framing) else { return false }
            let keyword = entry.createdBy.dropFirst(framing.count).prefix { $0 != " " }
            return !keyword.isEmpty && !["WORKDIR", "COPY", "ADD"].contains(keyword)
        }
    }

    /// Reads entries in order, each with the shell the SHELL entries before it set (a SHELL the config lacks had no
    /// effect: buildah ignores it for the OCI format).
    static func readSteps(_ entries: ArraySlice<HistoryEntry>, config: ImageConfig?, isBuildah: Bool) -> [RecoveredStep] {
        var shell = ["/bin/sh", "-c"]
        var steps: [RecoveredStep] = []
        for entry in entries {
            let step = readStep(entry, shell: shell, isBuildah: isBuildah)
            if step.keyword == "SHELL", config?.lacks("SHELL") != true,
               let words = listValues(step.arguments) ?? GoSyntax.quotedList(Substring(step.arguments))?.values {
                shell = words
            }
            steps.append(step)
        }
        return steps
    }

    static func readStep(_ entry: HistoryEntry, shell: [String], isBuildah: Bool = false) -> RecoveredStep {
        var text = Substring(entry.createdBy)
        // BuildKit marks its entries in the comment field; `RUN … # buildkit` is its RUN form in older engines. A
        // classic RUN whose command ends in `# buildkit` starts with the shell, not `RUN `.
        let isBuildKit = entry.comment == buildKitComment || (text.hasPrefix("RUN ") && text.hasSuffix(" # buildkit"))
        if isBuildKit {
            if text.hasSuffix(" # buildkit") { text = text.dropLast(" # buildkit".count) }
            let keyword = text.prefix { $0 != " " }.uppercased()
            var arguments = text.dropFirst(keyword.count).drop { $0 == " " }
            var step = RecoveredStep(keyword: keyword, arguments: String(arguments), isBuildKit: true, entry: entry)
            if keyword == "RUN" {
                step.buildArguments = readBuildArguments(&arguments, shell: shell)
                step.arguments = runCommand(arguments, shell: shell)
            }
            return step
        }
        guard !text.isEmpty else { return RecoveredStep(keyword: nil, arguments: "", isBuildKit: false, entry: entry) }
        var step = RecoveredStep(keyword: nil, arguments: "", isBuildKit: false, entry: entry)
        step.buildArguments = readBuildArguments(&text, shell: shell)
        if let framed = classicInstruction(text, shell: shell) {
            let instruction = framed.drop { $0 == " " }
            let keyword = instruction.prefix { $0 != " " }.uppercased()
            step.keyword = keyword
            step.arguments = String(instruction.dropFirst(keyword.count).dropFirst())
            if keyword == "COPY" || keyword == "ADD" { step.arguments = step.arguments.trimmingSpaces() }
            return step
        }
        // Without the builder's framing an entry is an exec-form RUN, or a docker commit of a container that ran
        // that command, which a RUN of it repeats; a commit message or a bare interactive shell means a commit
        // (podman's comments name the step's parent, `FROM <id>`).
        let framedRun = text.hasPrefix(shell.joined(separator: " ") + " ") || text.hasPrefix("/bin/sh -c ")
        if framedRun || ((entry.comment.isEmpty || entry.comment.hasPrefix("FROM ")) && !isInteractiveShell(text)) {
            step.keyword = "RUN"
            step.arguments = runCommand(text, shell: isBuildah ? ["/bin/sh", "-c"] : shell)
        }
        return step
    }

    /// A RUN's command as the Dockerfile text after `RUN`: the shell form when the entry starts with the shell in
    /// force (or holds buildah's JSON after it), else the exec form, its words split at spaces (an argument that
    /// held a space cannot be told apart), with `SHELL -c SCRIPT` kept as one script.
    static func runCommand(_ text: Substring, shell: [String]) -> String {
        let prefix = shell.joined(separator: " ") + " "
        if text.hasPrefix(prefix) { return String(text.dropFirst(prefix.count)) }
        let words = text.split(separator: " ").map(String.init)
        let arguments: [String]
        if words.count >= 3, words[1] == "-c", shellNames.contains(FilePath.lastComponent(words[0])) {
            arguments = [words[0], "-c", String(text.dropFirst(words[0].count + " -c ".count))]
        } else {
            arguments = words
        }
        return DockerfileText.jsonArray(arguments)
    }

    static let shellNames: Set<String> = ["sh", "bash", "ash", "dash", "zsh", "ksh"]

    /// `bash`, `/bin/sh` and the like with nothing after: the command of a container someone worked in by hand.
    static func isInteractiveShell(_ text: Substring) -> Bool {
        !text.contains(" ") && shellNames.contains(FilePath.lastComponent(String(text)))
    }

    /// Reads and removes `|N NAME=value …` before a RUN's command.
    static func readBuildArguments(_ text: inout Substring, shell: [String]) -> [(name: String, value: String)] {
        guard text.hasPrefix("|") else { return [] }
        let countText = text.dropFirst().prefix { $0.isNumber }
        guard let count = Int(countText), count > 0 else { return [] }
        var rest = text.dropFirst(1 + countText.count).drop { $0 == " " }
        var arguments: [(String, String)] = []
        let shellPrefix = shell.joined(separator: " ")
        for index in 0..<count {
            let name = rest.prefix { $0 != "=" && $0 != " " }
            guard rest.dropFirst(name.count).first == "=" else { break }
            rest = rest.dropFirst(name.count + 1)
            // A value ends at the space before the next NAME= (or, for the last, before the shell).
            var end = rest.startIndex
            var scan = rest.startIndex
            while scan < rest.endIndex {
                if rest[scan] == " " {
                    let after = rest[rest.index(after: scan)...]
                    if index == count - 1 ? (after.hasPrefix(shellPrefix) || after.hasPrefix("/bin/sh -c")) : startsWithAssignment(after) { break }
                }
                scan = rest.index(after: scan)
            }
            end = scan
            arguments.append((String(name), String(rest[rest.startIndex..<end])))
            rest = rest[end...].drop { $0 == " " }
        }
        text = rest
        return arguments
    }

    private static func startsWithAssignment(_ text: Substring) -> Bool {
        guard let first = text.first, first.isLetter || first == "_" else { return false }
        let name = text.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return text.dropFirst(name.count).first == "="
    }

    /// Variables a shell command reads (`$NAME`, `${NAME…}`) that it does not set itself (`NAME=`, `for NAME`,
    /// `read NAME`) and that are not in `known`, in the order they first appear.
    static func unsetVariables(_ command: String, known: Set<String>) -> [String] {
        let bytes = Array(command.utf8)
        var names: [String] = []
        var index = 0
        func isNameByte(_ byte: UInt8, first: Bool) -> Bool {
            byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (!first && byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
        }
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "$") else { index += 1; continue }
            var start = index + 1
            if start < bytes.count, bytes[start] == UInt8(ascii: "{") { start += 1 }
            var end = start
            while end < bytes.count, isNameByte(bytes[end], first: end == start) { end += 1 }
            if end > start {
                let name = String(decoding: bytes[start..<end], as: UTF8.self)
                if !known.contains(name), !names.contains(name) { names.append(name) }
            }
            index = max(end, index + 1)
        }
        let words = command.split { $0 == " " || $0 == ";" || $0 == "\n" }
        let setHere = Set(words.enumerated().compactMap { offset, word -> String? in
            if let equals = word.firstIndex(of: "="), equals > word.startIndex { return String(word[..<equals]) }
            if offset > 0, ["for", "read", "export", "local"].contains(words[offset - 1]) { return String(word) }
            return nil
        })
        return names.filter { !setHere.contains($0) }
    }

    /// Whether a folder owned by `owner` (`uid:gid`) is what the USER `user` makes; a named user other than root
    /// cannot be told from here, so it is taken to match any owner but root.
    static func isUser(_ user: String, owner: String) -> Bool {
        let name = user.prefix { $0 != ":" }
        let group = user.contains(":") ? String(user.drop { $0 != ":" }.dropFirst()) : nil
        let isRoot = name.isEmpty || name == "root" || name == "0"
        if isRoot { return owner.hasPrefix("0:") }
        guard let uid = Int(name) else { return owner != "0:0" }
        let ownerGroup = owner.drop { $0 != ":" }.dropFirst()
        return owner.hasPrefix("\(uid):") && (group.map { Int($0).map { String($0) == ownerGroup } ?? true } ?? true)
    }

    /// `NAME=value` or `NAME` of an ARG entry.
    static func splitArgument(_ text: String) -> (String, String?) {
        let trimmed = text.trimmingSpaces()
        guard let equals = trimmed.firstIndex(of: "=") else { return (trimmed, nil) }
        return (String(trimmed[..<equals]), String(trimmed[trimmed.index(after: equals)...]))
    }

    /// Splits the unquoted `k=v k2=v 2` text engines print for ENV and LABEL. Keys the config names are found
    /// first (they may hold spaces); otherwise a key is a word followed by `=` after a space.
    static func splitKeyValues(_ text: String, knownKeys: [String]) -> [(String, String)] {
        let characters = Array(text)
        var starts: [(index: Int, key: String)] = []
        var index = 0
        let sortedKeys = knownKeys.sorted { $0.count > $1.count }
        while index < characters.count {
            guard index == 0 || characters[index - 1] == " " else {
                index += 1
                continue
            }
            if let key = sortedKeys.first(where: { key in
                let keyCharacters = Array(key)
                return index + keyCharacters.count < characters.count && Array(characters[index..<(index + keyCharacters.count)]) == keyCharacters
                    && characters[index + keyCharacters.count] == "="
            }) {
                starts.append((index, key))
                index += key.count + 1
                continue
            }
            // Without the config's keys every `word=` starts a pair; with them, only the first one may be unknown.
            if knownKeys.isEmpty || starts.isEmpty {
                var end = index
                while end < characters.count && characters[end] != "=" && characters[end] != " " { end += 1 }
                if end > index && end < characters.count && characters[end] == "=" {
                    starts.append((index, String(characters[index..<end])))
                    index = end + 1
                    continue
                }
            }
            index += 1
        }
        var pairs: [(String, String)] = []
        for (position, start) in starts.enumerated() {
            let valueStart = start.index + start.key.count + 1
            let valueEnd = position + 1 < starts.count ? starts[position + 1].index - 1 : characters.count
            pairs.append((start.key, valueStart <= valueEnd ? String(characters[valueStart..<max(valueStart, valueEnd)]) : ""))
        }
        return pairs
    }

    /// `8000-8002` → `8000/tcp 8001/tcp 8002/tcp`; `80` → `80/tcp`.
    static func expandPort(_ text: String) -> [String] {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        let proto = parts.count == 2 && !parts[1].isEmpty ? String(parts[1]) : "tcp"
        guard let port = parts.first, !port.isEmpty else { return [] }
        let range = port.split(separator: "-")
        if range.count == 2, let low = Int(range[0]), let high = Int(range[1]), low <= high, high - low < 65_536 {
            return (low...high).map { "\($0)/\(proto)" }
        }
        return ["\(port)/\(proto)"]
    }
}
