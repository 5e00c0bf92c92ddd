import Support
import FoundationEssentials
import DockerfileSyntax
import Shell

/// How to rebuild: what the base image is, when the reverser cannot know it.
package struct RecoveryOptions: Sendable {
    /// The base image for FROM.
    package var base: String?
    /// How many of the oldest history entries belong to the base image.
    package var baseLayers: Int?
    /// Where to write the files COPY/ADD layers added, so the Dockerfile builds from that folder.
    package var contextDirectory: String?
    /// How the base was found, for the header (e.g. the local image whose layers start this one).
    package var baseNote: String?

    package init(base: String? = nil, baseLayers: Int? = nil, contextDirectory: String? = nil) {
        self.base = base
        self.baseLayers = baseLayers
        self.contextDirectory = contextDirectory
    }
}

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
}

/// A recovered Dockerfile and what could not be done while writing its context.
package struct RecoveredDockerfile: Sendable {
    package let text: String
    /// Archive members not written into the context, and why (a name leaving the folder, a device file, …).
    package let warnings: [String]
}

/// Rebuilds a Dockerfile from an image's history and config.
package enum DockerfileRecovery {
    static let buildKitComment = "buildkit.dockerfile.v0"

    /// The Dockerfile text for `image`; `sourceName` names the input in the header.
    /// With `archive` and `options.contextDirectory`, COPY/ADD files (and unknown base layers) are written there.
    package static func recover(_ image: ImageMetadata, sourceName: String, options: RecoveryOptions = RecoveryOptions(),
                               archive: ImageArchive? = nil) throws(InputError) -> RecoveredDockerfile {
        var writer = RecoveryWriter()
        if let directory = options.contextDirectory, let archive { writer.context = (BuildContextWriter(directory: directory), archive) }
        writer.archive = archive
        let history = image.history
        let baseCount = max(0, min(history.count, options.baseLayers ?? defaultBaseCount(history)))
        // Which layer each entry made: known when the source marks empty layers (image configs do).
        var layerIndexes: [Int?] = Array(repeating: nil, count: history.count)
        if history.allSatisfy({ $0.emptyLayer != nil }) {
            var next = 0
            for (index, entry) in history.enumerated() where entry.emptyLayer == false {
                layerIndexes[index] = next
                next += 1
            }
        }
        var shell = ["/bin/sh", "-c"]
        var steps: [RecoveredStep] = []
        for (offset, entry) in history[baseCount...].enumerated() {
            var step = readStep(entry, shell: shell)
            step.layerIndex = layerIndexes[baseCount + offset]
            if step.keyword == "SHELL", let words = GoSyntax.bareList(Substring(step.arguments)) ?? GoSyntax.quotedList(Substring(step.arguments))?.values {
                shell = words
            }
            steps.append(step)
        }

        // Header: where this came from and what could not be recovered.
        writer.comment("Dockerfile recovered by dockerkit reverse from \(sourceName)")
        if !image.id.isEmpty { writer.comment("Image: \(image.id)") }
        for digest in image.repoDigests { writer.comment("Digest: \(digest)") }
        writer.comment("Only the final stage of a multi-stage build is kept in an image; earlier stages cannot be recovered.")
        if image.config == nil {
            writer.comment("No image config was given (--inspect or an archive): ENV, LABEL, CMD and the rest are as the history prints them.")
        }
        let from: String
        if let base = options.base {
            from = base
            if let note = options.baseNote { writer.comment(note) }
        } else if let named = image.config?.labels["org.opencontainers.image.base.name"], DockerfileText.isSingleInstruction("FROM \(named)", kind: .from) {
            from = named
            writer.comment("Base image from the org.opencontainers.image.base.name label.")
        } else {
            from = "scratch"
            if baseCount > 0 {
                writer.comment("The base image is unknown (the oldest \(baseCount) history entr\(baseCount == 1 ? "y" : "ies")); its layers are not")
                writer.comment("reproduced. Replace scratch with it, or give --base IMAGE.")
            }
        }
        let truncated = steps.contains { $0.entry.createdBy.hasSuffix("…") }
        if truncated {
            writer.comment("The history was truncated (docker history without --no-trunc): commands ending in … are kept as")
            writer.comment("comments, and ENV, LABEL, CMD and the rest come from the image config where it was given.")
        }
        if steps.contains(where: { $0.keyword == nil }) {
            writer.comment("Entries made by docker commit or docker import have no instruction; they are kept as comments.")
        }
        writer.blank()
        writer.instruction("FROM \(from)", kind: .from)
        if from == "scratch", let context = writer.context {
            // The unknown base's layers, unpacked by ADD from the tarballs written into the context.
            for index in 0..<baseCount {
                guard let layer = layerIndexes[index] else { continue }
                let name = try context.files.writeLayerArchive(context.archive, layer: layer)
                writer.instruction("ADD \(name) /", kind: .add)
            }
        }

        // ONBUILD triggers BuildKit does not put in the history come from the config; where they stood is unknown.
        let recordedTriggers = steps.filter { $0.keyword == "ONBUILD" }.count
        if let triggers = image.config?.onBuild, triggers.count > recordedTriggers {
            writer.comment("ONBUILD triggers from the image config (the history does not show where they were written):")
            for trigger in triggers.dropFirst(recordedTriggers) {
                writer.instruction("ONBUILD \(trigger)", kind: .onbuild, fallbackComment: "ONBUILD \(trigger)")
            }
        }

        let lastIndexByKeyword = Dictionary(steps.enumerated().compactMap { index, step in step.keyword.map { ($0, index) } }, uniquingKeysWith: { _, last in last })
        let envKeys = (image.config?.env ?? []).compactMap { entry in entry.split(separator: "=", maxSplits: 1).first.map(String.init) }
        let labelKeys = Array((image.config?.labels ?? [:]).keys)
        var lastEnvStep: [String: Int] = [:]
        var lastLabelStep: [String: Int] = [:]
        var splitArguments: [Int: [(String, String)]] = [:]
        for (index, step) in steps.enumerated() where step.keyword == "ENV" || step.keyword == "LABEL" {
            let pairs = splitKeyValues(step.arguments, knownKeys: step.keyword == "ENV" ? envKeys : labelKeys)
            splitArguments[index] = pairs
            for (key, _) in pairs {
                if step.keyword == "ENV" { lastEnvStep[key] = index } else { lastLabelStep[key] = index }
            }
        }
        var declaredArguments: [String: String?] = [:]
        for (index, step) in steps.enumerated() {
            let isLast = lastIndexByKeyword[step.keyword ?? ""] == index
            switch step.keyword {
            case nil:
                let what = step.entry.createdBy.isEmpty ? "a layer with no instruction" : "a layer made by: \(step.entry.createdBy)"
                writer.comment("\(step.entry.comment.isEmpty ? "docker commit" : step.entry.comment): \(what)")
            case "RUN" where step.entry.createdBy.hasSuffix("…"):
                writer.comment("RUN \(step.arguments) (truncated: run docker history with --no-trunc)")
            case "RUN":
                for argument in step.buildArguments {
                    if let declared = declaredArguments[argument.name] {
                        if declared != argument.value && !(declared == nil && argument.value.isEmpty) {
                            writer.comment("\(argument.name) was \(argument.value.isEmpty ? "empty" : argument.value) in this build (the default differs).")
                            writer.argument(argument.name, value: argument.value)
                            declaredArguments[argument.name] = argument.value
                        }
                    } else {
                        writer.argument(argument.name, value: argument.value)
                        declaredArguments[argument.name] = argument.value
                    }
                }
                writer.run(step.arguments)
            case "ARG":
                let (name, value) = splitArgument(step.arguments)
                declaredArguments[name] = value
                writer.argument(name, value: value)
            case "ENV", "LABEL":
                let isEnv = step.keyword == "ENV"
                var pairs: [(String, String)] = []
                for (key, value) in splitArguments[index] ?? [] {
                    let isLastForKey = (isEnv ? lastEnvStep[key] : lastLabelStep[key]) == index
                    let configured = isEnv ? image.config?.environmentValue(key) : image.config?.labels[key]
                    if isLastForKey, let configured, configured != value {
                        writer.comment("\(key): the image config's value is used; the history prints \(value.isEmpty ? "nothing" : value)")
                        pairs.append((key, configured))
                    } else {
                        pairs.append((key, isLastForKey ? configured ?? value : value))
                    }
                }
                writer.keyValues(isEnv ? "ENV" : "LABEL", pairs, recorded: step.arguments)
            case "CMD", "ENTRYPOINT":
                let fromConfig = isLast ? (step.keyword == "CMD" ? image.config?.cmd : image.config?.entrypoint) : nil
                let recorded = GoSyntax.quotedList(Substring(step.arguments))?.values
                if let fromConfig, fromConfig != recorded {
                    writer.comment("\(step.keyword ?? ""): the image config's value is used; the history prints \(step.arguments)")
                }
                if let values = fromConfig ?? GoSyntax.quotedList(Substring(step.arguments))?.values {
                    writer.instruction("\(step.keyword ?? "") \(DockerfileText.jsonArray(values))", kind: step.keyword == "CMD" ? .cmd : .entrypoint)
                } else if fromConfig == nil && isLast && image.config != nil {
                    writer.instruction("\(step.keyword ?? "") []", kind: step.keyword == "CMD" ? .cmd : .entrypoint)
                } else {
                    writer.verbatim(step)
                }
            case "SHELL":
                let values = (isLast ? image.config?.shell : nil) ?? GoSyntax.bareList(Substring(step.arguments)) ?? []
                writer.instruction("SHELL \(DockerfileText.jsonArray(values))", kind: .shell)
            case "VOLUME":
                let values = GoSyntax.bareList(Substring(step.arguments)) ?? step.arguments.split(separator: " ").map(String.init)
                writer.instruction("VOLUME \(DockerfileText.jsonArray(values))", kind: .volume)
            case "EXPOSE":
                let ports = GoSyntax.mapKeys(Substring(step.arguments)) ?? step.arguments.split(separator: " ").flatMap { expandPort(String($0)) }
                writer.instruction("EXPOSE \(ports.joined(separator: " "))", kind: .expose, fallbackComment: "EXPOSE \(step.arguments)")
            case "HEALTHCHECK":
                let check = (isLast ? image.config?.healthcheck : nil) ?? GoSyntax.healthcheck(Substring(step.arguments))
                writer.healthcheck(check, recorded: step.arguments)
            case "WORKDIR", "USER", "STOPSIGNAL":
                let configured = isLast ? [ "WORKDIR": image.config?.workingDir, "USER": image.config?.user, "STOPSIGNAL": image.config?.stopSignal ][step.keyword ?? ""] ?? nil : nil
                let value = (configured?.isEmpty == false ? configured : nil) ?? step.arguments
                if value != step.arguments {
                    writer.comment("\(step.keyword ?? ""): the image config's value is used; the history prints \(step.arguments)")
                }
                let kind: InstructionKind = step.keyword == "WORKDIR" ? .workdir : (step.keyword == "USER" ? .user : .stopsignal)
                if let text = DockerfileText.plain(value) {
                    writer.instruction("\(step.keyword ?? "") \(text)", kind: kind, fallbackComment: "\(step.keyword ?? "") \(value)")
                } else {
                    writer.comment("\(step.keyword ?? "") \(value) (cannot be written as Dockerfile text)")
                }
            case "COPY", "ADD":
                try writer.copy(step)
            case "MAINTAINER":
                writer.instruction("MAINTAINER \(step.arguments)", kind: .maintainer, fallbackComment: "MAINTAINER \(step.arguments)")
            case "ONBUILD":
                writer.instruction("ONBUILD \(step.arguments)", kind: .onbuild, fallbackComment: "ONBUILD \(step.arguments)")
            default:
                writer.verbatim(step)
            }
        }
        return RecoveredDockerfile(text: writer.text, warnings: writer.context?.files.warnings ?? [])
    }

    /// Without --base-layers: BuildKit's first entry starts this image; for the classic builder, leading entries
    /// with no instruction (docker import) are the base.
    static func defaultBaseCount(_ history: [HistoryEntry]) -> Int {
        if let first = history.firstIndex(where: { $0.comment == buildKitComment }) { return first }
        return history.prefix { $0.createdBy.isEmpty }.count
    }

    /// Reads a history entry's `CreatedBy` into keyword and arguments, for both builders.
    static func readStep(_ entry: HistoryEntry, shell: [String]) -> RecoveredStep {
        var text = Substring(entry.createdBy)
        let isBuildKit = (entry.comment == buildKitComment || text.hasSuffix(" # buildkit")) && !text.contains(" #(nop) ")
        if isBuildKit {
            if text.hasSuffix(" # buildkit") { text = text.dropLast(" # buildkit".count) }
            let keyword = text.prefix { $0 != " " }.uppercased()
            var arguments = text.dropFirst(keyword.count).drop { $0 == " " }
            var step = RecoveredStep(keyword: keyword, arguments: String(arguments), isBuildKit: true, entry: entry)
            if keyword == "RUN" {
                step.buildArguments = readBuildArguments(&arguments, shell: shell)
                step.arguments = stripShell(arguments, shell: shell)
            }
            return step
        }
        guard !text.isEmpty else { return RecoveredStep(keyword: nil, arguments: "", isBuildKit: false, entry: entry) }
        var step = RecoveredStep(keyword: nil, arguments: "", isBuildKit: false, entry: entry)
        step.buildArguments = readBuildArguments(&text, shell: shell)
        if let nop = text.firstRange(of: " #(nop) ") {
            let instruction = text[nop.upperBound...].drop { $0 == " " }
            let keyword = instruction.prefix { $0 != " " }.uppercased()
            step.keyword = keyword
            step.arguments = String(instruction.dropFirst(keyword.count).dropFirst())
            if keyword == "COPY" || keyword == "ADD" { step.arguments = step.arguments.trimmingSpaces() }
            return step
        }
        let shellPrefix = shell.joined(separator: " ") + " "
        if text.hasPrefix(shellPrefix) || text.hasPrefix("/bin/sh -c ") {
            step.keyword = "RUN"
            step.arguments = stripShell(text, shell: shell)
            return step
        }
        // docker commit: the container's command, not a build instruction.
        return step
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

    private static func stripShell(_ text: Substring, shell: [String]) -> String {
        let prefix = shell.joined(separator: " ") + " "
        if text.hasPrefix(prefix) { return String(text.dropFirst(prefix.count)) }
        if text.hasPrefix("/bin/sh -c ") { return String(text.dropFirst("/bin/sh -c ".count)) }
        return String(text)
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

/// Accumulates the recovered Dockerfile, checking every instruction by parsing it.
struct RecoveryWriter {
    private(set) var text = ""
    /// Where COPY/ADD files go, and the archive they come from (`--context`).
    var context: (files: BuildContextWriter, archive: ImageArchive)?
    /// The image's layers, when an archive was read: without a context, COPY/ADD comments list their files.
    var archive: ImageArchive?

    mutating func comment(_ line: String) {
        text += DockerfileText.comment(line) + "\n"
    }

    /// Appends checked instruction text, long lines split into continuation lines; text that cannot be split
    /// into lines BuildKit reads (a run of 16 KiB of blanks) is kept as a comment.
    private mutating func append(_ instructionText: String) {
        let lines = instructionText.split(separator: "\n", omittingEmptySubsequences: false).map { DockerfileText.splittingLongLine(String($0)) }
        guard lines.allSatisfy({ $0.split(separator: "\n").allSatisfy { $0.utf8.count < 65_000 } }) else {
            comment("not recoverable as an instruction (a line too long to split): \(instructionText)")
            return
        }
        text += lines.joined(separator: "\n") + "\n"
    }

    mutating func blank() {
        text += "\n"
    }

    /// `ONBUILD ONBUILD …`, `ONBUILD FROM …` and `ONBUILD MAINTAINER …`, which BuildKit refuses.
    static func isForbiddenTrigger(_ line: String) -> Bool {
        let trigger = line.drop { $0 != " " && $0 != "\t" }.drop { $0 == " " || $0 == "\t" }
        let keyword = trigger.prefix { $0 != " " && $0 != "\t" }.uppercased()
        return keyword == "ONBUILD" || keyword == "FROM" || keyword == "MAINTAINER"
    }

    /// Writes `line` when it parses as exactly one instruction of `kind`; otherwise a comment keeps the text.
    mutating func instruction(_ line: String, kind: InstructionKind, fallbackComment: String? = nil) {
        if DockerfileText.isSingleInstruction(line, kind: kind) && !(kind == .onbuild && Self.isForbiddenTrigger(line)) {
            append(line)
        } else {
            comment("not recoverable as an instruction: \(fallbackComment ?? line)")
        }
    }

    mutating func argument(_ name: String, value: String?) {
        guard let value else {
            instruction("ARG \(name)", kind: .arg)
            return
        }
        if value.isEmpty {
            instruction("ARG \(name)=", kind: .arg)
            return
        }
        guard let word = DockerfileText.word(value) else {
            comment("ARG \(name) had a value no Dockerfile can hold: \(value)")
            instruction("ARG \(name)", kind: .arg)
            return
        }
        instruction("ARG \(name)=\(word)", kind: .arg)
    }

    mutating func keyValues(_ keyword: String, _ pairs: [(String, String)], recorded: String) {
        var words: [String] = []
        var expected: [String] = []
        for (key, value) in pairs {
            guard let keyWord = DockerfileText.word(key), let valueWord = DockerfileText.word(value) else {
                comment("\(keyword) \(key) has a value no Dockerfile can hold: \(value)")
                continue
            }
            words.append("\(keyWord)=\(valueWord)")
            expected.append(contentsOf: [key, value])
        }
        guard !words.isEmpty else {
            if pairs.isEmpty { comment("\(keyword) \(recorded) (could not be split into keys and values)") }
            return
        }
        let line = "\(keyword) " + words.joined(separator: " ")
        if DockerfileText.keyValues(of: line, kind: keyword == "ENV" ? .env : .label) == expected {
            append(line)
        } else {
            comment("not recoverable as an instruction: \(keyword) \(recorded)")
        }
    }

    /// RUN, re-wrapped at top-level `&&`, `||` and `;` into continuation lines.
    mutating func run(_ command: String) {
        let wrapped = "RUN " + ShellWrapping.wrap(command)
        let tree = DockerfileParser.parse("FROM scratch\n" + wrapped + "\n")
        let instructions = tree.instructions
        if wrapped != "RUN " + command, !DockerfileText.endsWithContinuation(wrapped), tree.errors.isEmpty, instructions.count == 2,
           instructions[1].kind == .run,
           DockerfileText.collapsingWhitespace(instructions[1].arguments?.text ?? "") == DockerfileText.collapsingWhitespace(command) {
            append(wrapped)
        } else {
            instruction("RUN " + command, kind: .run)
        }
    }

    mutating func healthcheck(_ check: ImageConfig.Healthcheck?, recorded: String) {
        guard let check, let mode = check.test.first else {
            comment("HEALTHCHECK \(recorded) (not understood)")
            return
        }
        if mode == "NONE" {
            instruction("HEALTHCHECK NONE", kind: .healthcheck)
            return
        }
        var flags = ""
        if check.interval > 0 { flags += " --interval=\(GoSyntax.formatDuration(check.interval))" }
        if check.timeout > 0 { flags += " --timeout=\(GoSyntax.formatDuration(check.timeout))" }
        if check.startPeriod > 0 { flags += " --start-period=\(GoSyntax.formatDuration(check.startPeriod))" }
        if check.retries > 0 { flags += " --retries=\(check.retries)" }
        let command: String
        if mode == "CMD-SHELL", check.test.count == 2 {
            command = check.test[1]
        } else {
            command = DockerfileText.jsonArray(Array(check.test.dropFirst()))
        }
        instruction("HEALTHCHECK\(flags) CMD \(command)", kind: .healthcheck, fallbackComment: "HEALTHCHECK \(recorded)")
    }

    /// COPY/ADD: BuildKit records the source names; the classic builder only a content hash. With a context,
    /// the layer's files are written there and the instruction copies them.
    mutating func copy(_ step: RecoveredStep) throws(InputError) {
        let keyword = step.keyword ?? "COPY"
        let kind: InstructionKind = keyword == "ADD" ? .add : .copy
        var rest = Substring(step.arguments)
        var flags = ""
        var source = ""
        let destination: String
        if step.isBuildKit {
            while rest.hasPrefix("--") {
                let flag = rest.prefix { $0 != " " }
                flags += flag + " "
                rest = rest.dropFirst(flag.count).drop { $0 == " " }
            }
            let words = rest.split(separator: " ")
            destination = words.last.map(String.init) ?? ""
            source = words.dropLast().joined(separator: " ")
        } else {
            // `--chown=1000:1000file:<sha> in /dst` (the engine leaves out the space) or `file:<sha> in /dst`.
            while rest.hasPrefix("--") {
                let flag = rest.prefix { $0 != " " }
                if let hashStart = flag.firstRange(of: "file:") ?? flag.firstRange(of: "dir:") ?? flag.firstRange(of: "multi:") {
                    flags += String(flag[..<hashStart.lowerBound]) + " "
                    rest = rest[hashStart.lowerBound...]
                    break
                }
                flags += flag + " "
                rest = rest.dropFirst(flag.count).drop { $0 == " " }
            }
            guard let inRange = rest.firstRange(of: " in ") else {
                comment("\(keyword) \(step.arguments) (not understood)")
                return
            }
            source = String(rest[..<inRange.lowerBound])
            destination = rest[inRange.upperBound...].trimmingSpaces()
        }
        if let archive = context?.archive, let layerIndex = step.layerIndex {
            if let written = try context?.files.writeCopyLayer(archive, layer: layerIndex, destination: destination) {
                comment("\(keyword) \(step.arguments): its files, from layer \(layerIndex + 1), are in \(written.source)")
                let chown = written.owner.map { "--chown=\($0) " } ?? ""
                instruction("\(keyword) \(chown)\(written.source) \(written.destination)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
                return
            }
        }
        if let archive, let layerIndex = step.layerIndex {
            var layer = try archive.layer(layerIndex)
            var files: [String] = []
            var fileCount = 0
            while let entry = try layer.next() {
                if entry.isDirectory { continue }
                fileCount += 1
                if files.count < 8 { files.append("/" + TarArchive.normalized(entry.path)) }
            }
            let digest = layerIndex < archive.metadata.layerDiffIDs.count ? " (\(archive.metadata.layerDiffIDs[layerIndex]))" : ""
            let listed = files.joined(separator: ", ") + (fileCount > 8 ? ", … (\(fileCount) files)" : "")
            comment("Layer \(layerIndex + 1)\(digest) holds \(listed); use --context to get the files.")
        }
        if step.isBuildKit {
            instruction("\(keyword) \(step.arguments)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
            return
        }
        let hash = source.split(separator: ":").last.map { String($0.prefix(12)) } ?? "unknown"
        comment("The classic builder recorded only the content hash \(source); the files are in that layer (use --context).")
        instruction("\(keyword) \(flags)layer-\(hash) \(destination)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
    }

    /// An instruction kept as the builder printed it, when it parses as one instruction.
    mutating func verbatim(_ step: RecoveredStep) {
        let line = "\(step.keyword ?? "") \(step.arguments)"
        guard let kind = InstructionKind(rawValue: (step.keyword ?? "").lowercased()), kind != .unknown else {
            comment("not recoverable as an instruction: \(step.entry.createdBy)")
            return
        }
        instruction(line, kind: kind, fallbackComment: line)
    }
}

/// Breaks a recovered shell command into continuation lines at top-level `&&`, `||` and `;`.
/// RUN commands wrapped at the shell's own list operators: before each `&&` and `||` of the outermost list and
/// after each `;` (or `;;`) followed by a blank, as the shell reader finds them (quotes, substitutions, subshells
/// and `{ …; }` groups are never split).
enum ShellWrapping {
    static func wrap(_ command: String) -> String {
        // Heredoc-like or backslash-newline commands stay as they are.
        if command.utf8.contains(UInt8(ascii: "\n")) { return command }
        let script = ShellScript(command)
        guard script.isValid else { return command }
        let bytes = Array(command.utf8)
        var pieces: [String] = []
        var start = 0
        for shellOperator in script.topLevelOperators {
            let offsets = shellOperator.offsets
            switch shellOperator.text {
            case "&&", "||":
                pieces.append(String(decoding: bytes[start..<offsets.lowerBound], as: UTF8.self).trimmingSpaces())
                start = offsets.lowerBound
            case ";", ";;" where offsets.upperBound < bytes.count && bytes[offsets.upperBound] == UInt8(ascii: " "):
                pieces.append(String(decoding: bytes[start..<offsets.upperBound], as: UTF8.self).trimmingSpaces())
                start = offsets.upperBound
            default:
                break
            }
        }
        pieces.append(String(decoding: bytes[start...], as: UTF8.self).trimmingSpaces())
        let nonEmpty = pieces.filter { !$0.isEmpty }
        guard nonEmpty.count > 1 else { return command }
        return nonEmpty.joined(separator: " \\\n    ")
    }
}
