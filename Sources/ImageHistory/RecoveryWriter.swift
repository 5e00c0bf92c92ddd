import Support
import FoundationEssentials
import DockerfileSyntax
import Shell

/// Accumulates the recovered Dockerfile, checking every instruction by parsing it.
struct RecoveryWriter {
    private(set) var text = ""
    /// The context files COPY/ADD instructions name, and the archive they come from (`--context`).
    var context: (plan: ContextPlan, archive: ImageArchive)?
    /// The image's layers, when an archive was read: without a context, COPY/ADD comments list their files.
    var archive: ImageArchive?

    /// Adds what another writer wrote.
    mutating func append(_ other: RecoveryWriter) {
        text += other.text
    }

    mutating func comment(_ line: String) {
        text += DockerfileText.comment(line) + "\n"
    }

    /// Appends checked instruction text, long lines split into continuation lines; text that cannot be split
    /// into lines BuildKit reads (a run of 16 KiB of blanks) is kept as a comment.
    private mutating func append(_ instructionText: String) {
        // Bytes that were not UTF-8 cannot be written back as they were: the comment shows them (`\xff`).
        guard !InvalidUTF8.containsMark(instructionText) else {
            comment("not recoverable as an instruction (it holds bytes that are not UTF-8, shown as \\x..): \(instructionText)")
            return
        }
        if instructionText.unicodeScalars.contains("\u{FFFD}") {
            comment("The builder wrote U+FFFD (�) where the instruction below had bytes that are not UTF-8; those bytes are lost.")
        }
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
    /// the instruction copies the layer's files from the folder the context will hold them in; a relative
    /// destination is read from `workdir`.
    mutating func copy(_ step: RecoveredStep, workdir: String) throws(InputError) {
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
        let target = FilePath.resolved(destination, from: workdir)
        if let archive = context?.archive, let layerIndex = step.layerIndex ?? step.squashedLayerIndex {
            if let written = try context?.plan.addCopyLayer(archive, layer: layerIndex, destination: target) {
                if written.unpacksArchive {
                    comment("\(keyword) \(step.arguments): no one --chown gives the files of layer \(layerIndex + 1) their owners; \(written.source) keeps them and ADD unpacks it")
                    instruction("ADD \(written.source) \(written.destination)", kind: .add, fallbackComment: "\(keyword) \(step.arguments)")
                    return
                }
                if step.layerIndex == nil {
                    comment("\(keyword) \(step.arguments): the builder put the files of several steps in layer \(layerIndex + 1); those under \(target), as later steps left them, are in \(written.source)")
                } else {
                    comment("\(keyword) \(step.arguments): its files, from layer \(layerIndex + 1), are in \(written.source)")
                }
                let chown = written.owner.map { "--chown=\($0) " } ?? ""
                instruction("\(keyword) \(chown)\(written.source) \(written.destination)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
                return
            }
        }
        // Without a context the files stay in the layer, but their owner shows what --chown was (BuildKit's
        // history leaves the flag out); ADD of an archive owns only the folder it makes.
        var ownerFlag = ""
        if let archive, let layerIndex = step.layerIndex {
            let survey = try LayerSurvey(archive, layer: layerIndex, destination: target)
            let folderOwner = keyword == "ADD" && survey.folderOwner != "0:0" ? survey.folderOwner : nil
            if !flags.contains("--chown"), let owner = survey.owner ?? folderOwner { ownerFlag = "--chown=\(owner) " }
            let digest = layerIndex < archive.metadata.layerDiffIDs.count ? " (\(archive.metadata.layerDiffIDs[layerIndex]))" : ""
            let listed = survey.firstFiles.joined(separator: ", ") + (survey.fileCount > 8 ? ", … (\(survey.fileCount) files)" : "")
            comment("Layer \(layerIndex + 1)\(digest) holds \(listed); use --context to get the files.")
        }
        if step.isBuildKit {
            instruction("\(keyword) \(ownerFlag)\(step.arguments)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
            return
        }
        let hash = source.split(separator: ":").last.map { String($0.prefix(12)) } ?? "unknown"
        comment("The history records only the content hash \(source) (the classic builder, buildah and podman write no source names); the files are in that layer (use --context).")
        instruction("\(keyword) \(ownerFlag)\(flags)layer-\(hash) \(destination)", kind: kind, fallbackComment: "\(keyword) \(step.arguments)")
    }

    /// The owner (`uid:gid`) of the folder `path` in layer `index` (nil without an archive, or when the layer does
    /// not hold it).
    func folderOwner(_ path: String, layer index: Int) throws(InputError) -> String? {
        guard let archive else { return nil }
        let target = TarArchive.normalized(path)
        var layer = try archive.layer(index)
        while let entry = try layer.next() {
            if TarArchive.normalized(entry.path) == target { return entry.isDirectory ? "\(entry.uid):\(entry.gid)" : nil }
        }
        return nil
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
            case ";", ";;":
                let spaceFollows = offsets.upperBound < bytes.count && bytes[offsets.upperBound] == UInt8(ascii: " ")
                if shellOperator.text == ";;" && !spaceFollows { continue }
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

extension DockerfileRecovery {
    /// A comment before each `COPY layer-N/…` whose files were written without their setuid/setgid bits, naming them
    /// (the rebuilt image lacks those bits until they are set again on purpose).
    package static func noteStrippedBits(_ stripped: [Int: [String]], in dockerfile: String) -> String {
        guard !stripped.isEmpty else { return dockerfile }
        var lines: [String] = []
        for line in dockerfile.split(separator: "\n", omittingEmptySubsequences: false) {
            for (layer, paths) in stripped where line.hasPrefix("COPY ") && line.contains(" layer-\(layer)/") {
                let listed = paths.prefix(5).map { $0.escapingControlCharacters() }.joined(separator: ", ") + (paths.count > 5 ? ", …" : "")
                lines.append(DockerfileText.comment("written without setuid/setgid (set them again with RUN chmod if the image needs them): \(listed)"))
            }
            lines.append(String(line))
        }
        return lines.joined(separator: "\n")
    }
}
