import Support
import FoundationEssentials
import DockerfileSyntax

/// How to rebuild: what the base image is, when the reverser cannot know it.
package struct RecoveryOptions: Sendable {
    /// The base image for FROM.
    package var base: String?
    /// How many of the oldest history entries belong to the base image.
    package var baseLayers: Int?
    /// Whether COPY/ADD instructions should name files of a build context made from the layers (`--context`).
    package var usesContext: Bool
    /// How the base was found, for the header (e.g. the local image whose layers start this one).
    package var baseNote: String?
    /// What the reader of the image could not be exact about, for the header.
    package var sourceNote: String?
    /// The base image's config, when the engine has it: settings the image's config has beyond it, and that no
    /// history entry made (`docker build --label`, `docker commit -c`), are written out.
    package var baseConfig: ImageConfig?
    /// The configs of the images the steps left, by image ID, when the engine still has them: a classic entry
    /// whose instruction the image it left does not have is a RUN of a shell comment that printed the same.
    package var stepConfigs: [String: ImageConfig] = [:]

    package init(base: String? = nil, baseLayers: Int? = nil, usesContext: Bool = false) {
        self.base = base
        self.baseLayers = baseLayers
        self.usesContext = usesContext
    }
}

/// A recovered Dockerfile, and the files its COPY/ADD instructions expect in the build context (when asked for).
package struct RecoveredDockerfile: Sendable {
    package let text: String
    /// What `BuildContextWriter` must write for the text to build: layers' files and base layer archives.
    package let contextFiles: [ContextFile]
    /// `NAME=value` build arguments the rebuild needs to match the image (`--build-arg`), said in the text too.
    package let buildArguments: [String]
}

/// Rebuilds a Dockerfile from an image's history and config.
package enum DockerfileRecovery {
    static let buildKitComment = "buildkit.dockerfile.v0"

    /// The Dockerfile text for `image`; `sourceName` names the input in the header. With `archive` and
    /// `options.usesContext`, COPY/ADD instructions name files of a build context, listed in `contextFiles` for
    /// `BuildContextWriter` to write; nothing is written here.
    package static func recover(_ image: ImageMetadata, sourceName: String, options: RecoveryOptions = RecoveryOptions(),
                               archive: ImageArchive? = nil) throws(InputError) -> RecoveredDockerfile {
        var writer = RecoveryWriter()
        if options.usesContext, let archive { writer.context = (ContextPlan(), archive) }
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
        let isBuildah = isBuildahHistory(Array(history[baseCount...]))
        var steps = readSteps(history[baseCount...], config: image.config, isBuildah: isBuildah)
        for index in steps.indices { steps[index].layerIndex = layerIndexes[baseCount + index] }

        if history.allSatisfy({ $0.emptyLayer != nil }) {
            for index in steps.indices where (steps[index].keyword == "COPY" || steps[index].keyword == "ADD") && steps[index].layerIndex == nil {
                steps[index].squashedLayerIndex = steps[(index + 1)...].first { $0.layerIndex != nil }?.layerIndex
            }
        }

        // Header: where this came from and what could not be recovered.
        writer.comment("Dockerfile recovered by dockerkit reverse from \(sourceName)")
        if !image.id.isEmpty { writer.comment("Image: \(image.id)") }
        for digest in image.repoDigests { writer.comment("Digest: \(digest)") }
        if let note = options.sourceNote { writer.comment(note) }
        writer.comment("Only the final stage of a multi-stage build is kept in an image; earlier stages cannot be recovered.")
        if image.config == nil {
            writer.comment("No image config was given (--inspect or an archive): ENV, LABEL, CMD and the rest are as the history prints them.")
        }
        let base = chooseBase(image, options: options, baseCount: baseCount)
        let from = base.reference
        for line in base.comments { writer.comment(line) }
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
        if from == "scratch", writer.context != nil {
            // The unknown base's layers, unpacked by ADD from the tarballs of the context.
            for index in 0..<baseCount {
                guard let layer = layerIndexes[index], let archive else { continue }
                // An empty layer (a WORKDIR that found its folder) is a tar with no members, which ADD would not
                // unpack but copy as a file.
                var members = try archive.layer(layer)
                guard try members.next() != nil, let name = writer.context?.plan.addLayerArchive(layer: layer) else { continue }
                writer.instruction("ADD \(name) /", kind: .add)
            }
        }

        // ONBUILD triggers BuildKit does not put in the history come from the config; where they stood is unknown.
        // A history entry names a trigger only when the config holds it: a RUN of a shell comment prints the same.
        let configTriggers = image.config?.onBuild ?? []
        func isConfigTrigger(_ text: String) -> Bool { configTriggers.contains { sameTrigger($0, text) } }
        var unrecorded = configTriggers
        for step in steps where step.keyword == "ONBUILD" {
            if let index = unrecorded.firstIndex(where: { sameTrigger($0, step.arguments) }) { unrecorded.remove(at: index) }
        }
        if !unrecorded.isEmpty {
            writer.comment("ONBUILD triggers from the image config (the history does not show where they were written):")
            for trigger in unrecorded {
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
            let known = step.keyword == "ENV" ? envKeys : labelKeys
            var pairs = splitKeyValues(step.arguments, knownKeys: known)
            // buildah and podman record the Dockerfile's own text (`ENV k value with spaces`, `LABEL "a.b"="v"`):
            // read as Dockerfile text, it gives keys the config knows, and more of them than a split at `key=`.
            if !known.isEmpty, let written = dockerfilePairs(step.keyword ?? "", step.arguments),
               !written.isEmpty, written.allSatisfy({ known.contains($0.0) }),
               pairs.count < written.count || !pairs.allSatisfy({ known.contains($0.0) }) {
                pairs = written
            }
            splitArguments[index] = pairs
            for (key, _) in pairs {
                if step.keyword == "ENV" { lastEnvStep[key] = index } else { lastLabelStep[key] = index }
            }
        }
        // An unknown base rebuilt from its layers (FROM scratch and ADD) brings none of its settings: those of the
        // config that no history entry made are the base's, and stand before the steps as they did in the base. So
        // do they when the whole image is that base (an import: no step follows), or FROM scratch would be all.
        // Otherwise they are left to the base that replaces scratch, as the header says.
        let baseIsUnknown = from == "scratch"
        let writesBaseSettings = baseIsUnknown && (archive != nil || steps.isEmpty)
        if writesBaseSettings, let config = image.config {
            writeConfigOnlySettings(config, base: ImageConfig(), steps: steps, envSetByHistory: Set(lastEnvStep.keys),
                                    labelsSetByHistory: Set(lastLabelStep.keys), writer: &writer,
                                    heading: "In the image config but in no history entry: the unknown base image's settings (or docker build --label, docker commit -c):")
        }
        var declaredArguments: [String: String?] = [:]
        var buildArguments: [String] = []
        var environment: [String: String] = [:]
        // buildah prints an instruction as written, variables and all (docker's builders print it expanded): its
        // values are expanded here with the arguments and environment written before them.
        func expanding(_ text: String) -> String {
            guard isBuildah, text.contains("$") else { return text }
            var scope = environment
            for (name, value) in declaredArguments { if let value, scope[name] == nil { scope[name] = value } }
            var expander = ShellWordExpander()
            expander.leavesUnsetVariables = true
            expander.ignoresQuotes = true
            let expanded = (try? expander.expand(text, environment: scope).value) ?? text
            if expanded != text { writer.comment("\(text): written as buildah printed it, variables expanded") }
            return expanded
        }
        var workdir = options.baseConfig?.workingDir.isEmpty == false ? options.baseConfig?.workingDir ?? "/" : "/"
        var currentUser = options.baseConfig?.user
        // The base's ONBUILD triggers ran first in this build and run again from the base when the Dockerfile is
        // built: their entries are not written twice.
        let triggeredSteps = baseTriggerSteps(steps, triggers: options.baseConfig?.onBuild ?? [])
        for (index, step) in steps.enumerated() {
            if triggeredSteps.contains(index) {
                writer.comment("\(step.keyword ?? "") \(step.arguments): run by an ONBUILD trigger of the base, which runs it again")
                continue
            }
            if let keyword = step.keyword, !step.isBuildKit, !isBuildah, let stepConfig = options.stepConfigs[step.entry.imageID],
               !isClassicSetting(keyword, step.arguments, in: stepConfig) {
                writer.comment("\(keyword) \(step.arguments): in the history, but the image this step left does not have it (a RUN whose command is a shell comment starting with #(nop) prints the same)")
                continue
            }
            if let keyword = step.keyword, let config = image.config, config.lacks(keyword) {
                let why = config.dockerOnlyFields == .impossible
                    ? "the OCI format keeps no \(keyword); buildah and podman keep it with --format docker"
                    : "the entry is ambiguous: a RUN whose command is a shell comment starting with #(nop) prints the same"
                writer.comment("\(keyword) \(step.arguments): in the history, but not in the image config, so the image has none (\(why))")
                continue
            }
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
            case "ARG" where isBuildah && !step.arguments.contains("="):
                // buildah prints, for each ARG, the names of every argument that has a value so far, without values:
                // the names not seen before are this ARG's, and the first RUN that sees one shows its value.
                let names = step.arguments.split(separator: " ").map(String.init).filter { declaredArguments[$0] == nil }
                for name in names {
                    let value = steps[(index + 1)...].lazy.compactMap({ $0.buildArguments.first { $0.name == name }?.value }).first
                    declaredArguments[name] = value
                    writer.argument(name, value: value)
                }
                if names.isEmpty {
                    // An ARG without a value adds no name: a variable a later RUN reads and nothing sets is the likely one.
                    let known = Set(envKeys).union(declaredArguments.keys)
                    if let name = steps[(index + 1)...].lazy.filter({ $0.keyword == "RUN" }).flatMap({ unsetVariables($0.arguments, known: known) }).first {
                        writer.comment("buildah does not record the name of an ARG without a value; \(name) is read by a later RUN and set by nothing else")
                        declaredArguments[name] = .some(nil)
                        writer.argument(name, value: nil)
                    } else {
                        writer.comment("an ARG without a value (buildah does not record its name)")
                    }
                }
            case "ARG":
                let (name, value) = splitArgument(step.arguments)
                if value == nil, !step.isBuildKit, !isBuildah, platformArguments.contains(name) {
                    writer.comment("The classic builder left \(name) unset; BuildKit sets it itself: build with --build-arg \(name)= to rebuild the same")
                    buildArguments.append("\(name)=")
                }
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
                if isEnv { for (key, value) in pairs { environment[key] = value } }
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
                let values = (isLast ? image.config?.shell : nil) ?? listValues(step.arguments) ?? []
                writer.instruction("SHELL \(DockerfileText.jsonArray(values))", kind: .shell)
            case "VOLUME":
                let values = (listValues(step.arguments) ?? step.arguments.split(separator: " ").map(String.init)).map { expanding($0) }
                writer.instruction("VOLUME \(DockerfileText.jsonArray(values))", kind: .volume)
            case "EXPOSE":
                var ports = GoSyntax.mapKeys(Substring(step.arguments)) ?? step.arguments.split(separator: " ").flatMap { expandPort(String($0)) }
                // buildah and podman print `EXPOSE $P` unexpanded: the config's ports that no other EXPOSE names stand in.
                if ports.contains(where: { $0.contains("$") }), let configured = image.config?.exposedPorts {
                    let literal = Set(steps.filter { $0.keyword == "EXPOSE" }.flatMap { $0.arguments.split(separator: " ").flatMap { expandPort(String($0)) } })
                    let stoodFor = configured.flatMap { expandPort($0) }.filter { !literal.contains($0) }.sorted()
                    writer.comment("EXPOSE \(step.arguments): the history does not expand variables; the image config's ports stand in for them")
                    ports = ports.filter { !$0.contains("$") } + stoodFor
                }
                writer.instruction("EXPOSE \(ports.joined(separator: " "))", kind: .expose, fallbackComment: "EXPOSE \(step.arguments)")
            case "HEALTHCHECK":
                let check = (isLast ? image.config?.healthcheck : nil) ?? GoSyntax.healthcheck(Substring(step.arguments))
                if check == nil, DockerfileText.isSingleInstruction("HEALTHCHECK \(step.arguments)", kind: .healthcheck) {
                    // buildah records the instruction as written.
                    writer.instruction("HEALTHCHECK \(step.arguments)", kind: .healthcheck)
                } else {
                    writer.healthcheck(check, recorded: step.arguments)
                }
            case "WORKDIR", "USER", "STOPSIGNAL":
                let configured = isLast ? [ "WORKDIR": image.config?.workingDir, "USER": image.config?.user, "STOPSIGNAL": image.config?.stopSignal ][step.keyword ?? ""] ?? nil : nil
                let configuredValue = configured?.isEmpty == false ? configured : nil
                let value = configuredValue ?? expanding(step.arguments)
                if configuredValue != nil && value != step.arguments {
                    writer.comment("\(step.keyword ?? ""): the image config's value is used; the history prints \(step.arguments)")
                }
                // BuildKit makes a WORKDIR folder as the USER in force; the classic builder makes it as root, and podman
                // leaves it to the next step that makes a layer, as that step's user. When that layer shows another
                // owner than BuildKit would give, the folder is made as that owner here.
                var madeAs: String?
                if step.keyword == "WORKDIR" {
                    workdir = FilePath.resolved(value, from: workdir)
                    let layer = step.layerIndex ?? steps[(index + 1)...].first { $0.layerIndex != nil }?.layerIndex
                    if let layer, let owner = try writer.folderOwner(workdir, layer: layer), !isUser(currentUser ?? "", owner: owner) {
                        madeAs = owner == "0:0" ? "root" : owner
                        writer.comment("\(workdir) is owned by \(owner), not by USER \(currentUser ?? "root") that BuildKit would make it as (another builder's way)")
                        writer.instruction("USER \(madeAs ?? "root")", kind: .user)
                    }
                }
                if step.keyword == "USER" { currentUser = value }
                let kind: InstructionKind = step.keyword == "WORKDIR" ? .workdir : (step.keyword == "USER" ? .user : .stopsignal)
                if let text = DockerfileText.plain(value) {
                    writer.instruction("\(step.keyword ?? "") \(text)", kind: kind, fallbackComment: "\(step.keyword ?? "") \(value)")
                } else {
                    writer.comment("\(step.keyword ?? "") \(value) (cannot be written as Dockerfile text)")
                }
                if madeAs != nil {
                    let restored = currentUser.flatMap { $0.isEmpty ? nil : DockerfileText.plain($0) } ?? "root"
                    writer.instruction("USER \(restored)", kind: .user)
                }
            case "COPY", "ADD":
                var copyStep = step
                copyStep.arguments = expanding(step.arguments)
                try writer.copy(copyStep, workdir: workdir)
            case "MAINTAINER":
                writer.instruction("MAINTAINER \(step.arguments)", kind: .maintainer, fallbackComment: "MAINTAINER \(step.arguments)")
            case "ONBUILD" where !configTriggers.isEmpty && !isConfigTrigger(step.arguments):
                writer.comment("ONBUILD \(step.arguments): in the history, but not among the image config's triggers (the entry is ambiguous: a RUN whose command is a shell comment starting with #(nop) prints the same)")
            case "ONBUILD":
                writer.instruction("ONBUILD \(step.arguments)", kind: .onbuild, fallbackComment: "ONBUILD \(step.arguments)")
            default:
                writer.verbatim(step)
            }
        }
        if let config = image.config, let baseConfig = options.baseConfig {
            writeConfigOnlySettings(config, base: baseConfig, steps: steps, envSetByHistory: Set(lastEnvStep.keys),
                                    labelsSetByHistory: Set(lastLabelStep.keys), writer: &writer,
                                    heading: "In the image config but in no history entry (docker build --label, docker commit -c):")
        } else if let config = image.config, !writesBaseSettings {
            // Without the base's config only labels are written: re-setting a base's label to its value changes
            // nothing, while its ENV, CMD and the rest would bury the base's behind values it may not have.
            let labels = configOnlyLabels(config, base: ImageConfig(), labelsSetByHistory: Set(lastLabelStep.keys))
            if !labels.isEmpty {
                writer.comment("Labels in the image config that no history entry set (docker build --label, or the base image's own):")
                writer.keyValues("LABEL", labels, recorded: labels.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
            }
        }
        return RecoveredDockerfile(text: writer.text, contextFiles: writer.context?.plan.files ?? [], buildArguments: buildArguments)
    }

    /// A list as the builders record it: JSON (buildah, podman: `["/bin/sh", "-ec"]`) or Go (docker: `[/bin/sh -ec]`).
    static func listValues(_ text: String) -> [String]? {
        let trimmed = text.trimmingSpaces()
        if trimmed.hasPrefix("[\""), let array = (try? JSONValue.parse(Array(trimmed.utf8)))?.array {
            let strings = array.compactMap(\.string)
            if strings.count == array.count { return strings }
        }
        return GoSyntax.bareList(Substring(trimmed))
    }

    /// ENV or LABEL arguments read as Dockerfile text, with BuildKit's quote removal.
    static func dockerfilePairs(_ keyword: String, _ arguments: String) -> [(String, String)]? {
        let tree = DockerfileParser.parse(Array("\(keyword) \(arguments)\n".utf8))
        guard tree.errors.isEmpty, tree.instructions.count == 1, let instruction = tree.instructions.first,
              let pairs = KeyValueInstruction(instruction) else { return nil }
        return pairs.pairs.map { pair in (pair.unquotedKey(escapeToken: tree.escapeToken), pair.unquotedValue(escapeToken: tree.escapeToken)) }
    }

    /// Whether the config an instruction left holds what the classic builder printed for it (checked for the
    /// settings a smuggled entry could claim; others are taken as printed).
    static func isClassicSetting(_ keyword: String, _ arguments: String, in config: ImageConfig) -> Bool {
        switch keyword {
        case "USER": config.user == arguments
        case "ONBUILD": config.onBuild.last.map { sameTrigger($0, arguments) } ?? false
        case "CMD": config.cmd == GoSyntax.quotedList(Substring(arguments))?.values
        case "ENTRYPOINT": config.entrypoint == GoSyntax.quotedList(Substring(arguments))?.values
        case "WORKDIR": config.workingDir == arguments || !arguments.hasPrefix("/")
        case "STOPSIGNAL": config.stopSignal == arguments
        default: true
        }
    }

    /// Whether two ONBUILD triggers are the same instruction: equal but for runs of blanks and the keyword's case.
    static func sameTrigger(_ one: String, _ other: String) -> Bool {
        func normalized(_ text: String) -> String {
            let collapsed = DockerfileText.collapsingWhitespace(text).trimmingSpaces()
            let keyword = collapsed.prefix { $0 != " " }
            return keyword.uppercased() + collapsed.dropFirst(keyword.count)
        }
        return normalized(one) == normalized(other)
    }

    /// The leading steps that the base's ONBUILD triggers made, matched in order by their text.
    static func baseTriggerSteps(_ steps: [RecoveredStep], triggers: [String]) -> Set<Int> {
        var matched: Set<Int> = []
        var next = 0
        for trigger in triggers {
            guard next < steps.count, let keyword = steps[next].keyword else { break }
            guard sameTrigger(trigger, "\(keyword) \(steps[next].arguments)") else { break }
            matched.insert(next)
            next += 1
        }
        return matched
    }

    /// The arguments BuildKit (and buildah) give every build; the classic builder gives none.
    static let platformArguments: Set<String> = ["TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT",
                                                 "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT"]

    /// Labels that only record the builder, not the user's Dockerfile.
    static let builderLabels: Set<String> = ["io.buildah.version"]

    /// The config's labels that the base does not have with that value, no history entry set, and no builder added.
    static func configOnlyLabels(_ config: ImageConfig, base: ImageConfig, labelsSetByHistory: Set<String>) -> [(String, String)] {
        config.labels.filter { key, value in
            base.labels[key] != value && !labelsSetByHistory.contains(key) && !builderLabels.contains(key)
        }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// What the config holds beyond the base's and no history entry explains: `docker build --label` and
    /// `docker commit -c` write only to the config.
    static func writeConfigOnlySettings(_ config: ImageConfig, base: ImageConfig, steps: [RecoveredStep], envSetByHistory: Set<String>,
                                        labelsSetByHistory: Set<String>, writer: inout RecoveryWriter, heading: String) {
        let keywords = Set(steps.compactMap(\.keyword))
        var extra = RecoveryWriter()
        let baseEnvironment = Set(base.env)
        // BuildKit gives an image without PATH the default one: that is the builder's, not the user's.
        let defaultPath = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        let environment = config.env.filter { entry in
            let key = String(entry.prefix { $0 != "=" })
            let builderDefault = entry == defaultPath && !base.env.contains { $0.hasPrefix("PATH=") }
            return !baseEnvironment.contains(entry) && !envSetByHistory.contains(key) && !builderDefault
        }.map { entry -> (String, String) in (String(entry.prefix { $0 != "=" }), String(entry.drop { $0 != "=" }.dropFirst())) }
        if !environment.isEmpty { extra.keyValues("ENV", environment, recorded: environment.map { "\($0.0)=\($0.1)" }.joined(separator: " ")) }
        let labels = configOnlyLabels(config, base: base, labelsSetByHistory: labelsSetByHistory)
        if !labels.isEmpty { extra.keyValues("LABEL", labels, recorded: labels.map { "\($0.0)=\($0.1)" }.joined(separator: " ")) }
        let ports = config.exposedPorts.filter { !base.exposedPorts.contains($0) }
        if !ports.isEmpty && !keywords.contains("EXPOSE") {
            extra.instruction("EXPOSE \(ports.sorted().joined(separator: " "))", kind: .expose, fallbackComment: "EXPOSE \(ports.joined(separator: " "))")
        }
        for (keyword, value, baseValue, kind) in [("WORKDIR", config.workingDir, base.workingDir, InstructionKind.workdir), ("USER", config.user, base.user, .user)]
        where value != baseValue && !value.isEmpty && !keywords.contains(keyword) {
            if let text = DockerfileText.plain(value) { extra.instruction("\(keyword) \(text)", kind: kind, fallbackComment: "\(keyword) \(value)") }
        }
        if config.entrypoint != base.entrypoint, !keywords.contains("ENTRYPOINT"), let entrypoint = config.entrypoint {
            extra.instruction("ENTRYPOINT \(DockerfileText.jsonArray(entrypoint))", kind: .entrypoint)
        }
        if config.cmd != base.cmd, !keywords.contains("CMD"), let cmd = config.cmd {
            extra.instruction("CMD \(DockerfileText.jsonArray(cmd))", kind: .cmd)
        }
        let volumes = config.volumes.filter { !base.volumes.contains($0) }
        if !volumes.isEmpty && !keywords.contains("VOLUME") {
            extra.instruction("VOLUME \(DockerfileText.jsonArray(volumes))", kind: .volume)
        }
        if config.stopSignal != base.stopSignal, !config.stopSignal.isEmpty, !keywords.contains("STOPSIGNAL"), let text = DockerfileText.plain(config.stopSignal) {
            extra.instruction("STOPSIGNAL \(text)", kind: .stopsignal)
        }
        guard !extra.text.isEmpty else { return }
        writer.comment(heading)
        writer.append(extra)
    }
}
