import Support
import FoundationEssentials
import Engine
import ImageHistory

/// `dockerkit reverse`: a Dockerfile rebuilt from an image's history and config.
enum ReverseCommand {
    static let valueOptions: Set<String> = ["--history", "--inspect", "--archive", "--base", "--base-layers", "--engine", "--context", "--tag", "--network",
                                                                                                          "--max-layer-size", "--max-inflation-ratio", "--max-input-size"]
    static let flagOptions: Set<String> = ["--help", "--build", "--no-cache"]
    static let usage = """
        usage: dockerkit reverse IMAGE [--engine docker|podman|PATH]
               dockerkit reverse --history FILE|- [--inspect FILE]
               dockerkit reverse --inspect FILE        (buildah inspect --type image: the history is in it)
               dockerkit reverse --archive FILE.tar
               options: --base IMAGE, --base-layers N, --context DIR [--build [-t TAG] [--network MODE] [--no-cache]]
                        --max-layer-size SIZE (default 16G), --max-inflation-ratio N (default 200),
                        --max-input-size SIZE (history and inspect files; default 64M)

        Reads the image through the engine client (docker image inspect, docker history), or offline from
        `docker history --no-trunc --format '{{json .}}'` output, `docker image inspect` output, or a `docker save`
        archive, and prints a Dockerfile that rebuilds it. --context DIR writes the files COPY/ADD layers added
        (and an unknown base's layers) into DIR, so DIR builds. --build (with IMAGE and --context) also builds DIR
        and compares the two images: config fields and every layer's files; exit 0 only when they are equivalent.
        The engine's build cache may reuse the original's RUN layers; --no-cache makes every RUN run again.
        Archives are read in place and layers decompressed as they are read; a layer that inflates past
        --max-layer-size, or past --max-inflation-ratio times its compressed size (beyond its first 64 MiB), stops
        the run (exit 2). Context files never land outside DIR: members with `..` or absolute names, or under a
        symlink, are skipped with a warning; hard links become copies, and device files are not made.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(BuildCommand.normalizeShortOptions(arguments), valueOptions: valueOptions, flagOptions: flagOptions)
        } catch {
            throw CommandFailure(message: "dockerkit reverse: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        let contextDirectory = options.value("--context")
        var recovery = RecoveryOptions(base: options.value("--base"), usesContext: contextDirectory != nil)
        if let layers = options.value("--base-layers") {
            guard let count = Int(layers), count >= 0 else { throw CommandFailure(message: "dockerkit reverse: error: --base-layers takes a number, not '\(layers)'") }
            recovery.baseLayers = count
        }
        var inflationLimit = InflationLimit.standard
        var inputLimit = defaultInputLimit
        do throws(UsageError) {
            if let size = options.value("--max-layer-size") { inflationLimit.maximumBytes = try parseByteSize(size, option: "--max-layer-size") }
            if let ratio = options.value("--max-inflation-ratio") {
                guard let value = Int(ratio), value > 0 else { throw UsageError(message: "--max-inflation-ratio takes a whole number above 0, not '\(ratio)'") }
                inflationLimit.maximumRatio = value
            }
            if let size = options.value("--max-input-size") { inputLimit = try parseByteSize(size, option: "--max-input-size") }
        } catch {
            throw CommandFailure(message: "dockerkit reverse: error: \(error.message)")
        }
        let metadata: ImageMetadata
        let sourceName: String
        var imageArchive: ImageArchive?
        do {
            if let archive = options.value("--archive") {
                imageArchive = try ImageArchive(store: .file(try OpenFile(path: archive, source: archive)), source: archive, inflationLimit: inflationLimit)
                metadata = imageArchive?.metadata ?? ImageMetadata()
                sourceName = metadata.reference.isEmpty ? archive : "\(metadata.reference) (\(archive))"
            } else if let history = options.value("--history") {
                var image = options.value("--inspect").map { _ in ImageMetadata() } ?? ImageMetadata()
                if let inspect = options.value("--inspect") {
                    image = try ImageMetadataDecoder.decodeInspect(try readFile(inspect, limit: inputLimit), source: inspect)
                }
                image.history = try ImageMetadataDecoder.decodeHistoryLines(try readFile(history, limit: inputLimit), source: history == "-" ? "<stdin>" : history)
                metadata = image
                sourceName = image.reference.isEmpty ? (history == "-" ? "<stdin>" : history) : image.reference
            } else if let reference = options.positional.first, options.positional.count == 1 {
                let client = EngineClient(engine: options.value("--engine"))
                var image = try client.imageMetadata(reference)
                recovery.stepConfigs = try client.configs(of: image.history.map(\.imageID).filter { !$0.isEmpty && $0 != image.id })
                if contextDirectory != nil {
                    // The layers come from docker save; its config history also says which entries made layers.
                    let saved = try client.save(reference, inflationLimit: inflationLimit)
                    if saved.metadata.history.count == image.history.count {
                        for index in image.history.indices { image.history[index].emptyLayer = saved.metadata.history[index].emptyLayer }
                    } else {
                        image.history = saved.metadata.history
                    }
                    imageArchive = saved
                }
                if recovery.base == nil && recovery.baseLayers == nil, let base = try client.nearestLocalBase(of: image) {
                    recovery.base = base.reference
                    recovery.baseLayers = base.historyCount
                    recovery.baseNote = "Base image \(base.reference): the nearest local image whose layers and history start this one's."
                        + (base.others.isEmpty ? "" : " Tied with \(base.others.joined(separator: ", ")); the oldest image, then the one with the fewest config settings, then the first tag, is chosen (name another with --base).")
                }
                if let base = recovery.base, let baseMetadata = try? client.imageMetadata(base) {
                    recovery.baseConfig = baseMetadata.config ?? ImageConfig()
                    // A base named with --base covers as many entries as its own history, when that starts this one's.
                    let baseHistory = baseMetadata.history.map(\.createdBy)
                    if recovery.baseLayers == nil, baseHistory.count <= image.history.count,
                       image.history.prefix(baseHistory.count).map(\.createdBy) == baseHistory {
                        recovery.baseLayers = baseHistory.count
                    }
                }
                metadata = image
                sourceName = reference
            } else if let inspect = options.value("--inspect"),
                      case let image = try ImageMetadataDecoder.decodeInspect(try readFile(inspect, limit: inputLimit), source: inspect), !image.history.isEmpty {
                // buildah inspect holds the history too.
                metadata = image
                sourceName = image.reference.isEmpty ? inspect : image.reference
            } else if options.value("--inspect") != nil {
                throw CommandFailure(message: "dockerkit reverse: error: --inspect needs --history too: the inspect output holds the image's config but not its build steps (write them with: docker history --no-trunc --format '{{json .}}' IMAGE > history.jsonl)")
            } else {
                throw CommandFailure(message: "dockerkit reverse: error: name an IMAGE, or give --history [--inspect] or --archive\n\(usage)")
            }
        } catch let error as InputError {
            throw CommandFailure(message: "\(error)")
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "dockerkit reverse: error: \(error)")
        }
        if let directory = contextDirectory {
            guard imageArchive != nil else {
                throw CommandFailure(message: "dockerkit reverse: error: --context needs the image's layers: name an IMAGE in the engine or give --archive")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(message: "dockerkit reverse: error: cannot create the context folder \(directory)")
            }
        }
        var dockerfile: String
        let rebuildArguments: [String]
        do {
            let recovered = try DockerfileRecovery.recover(metadata, sourceName: sourceName, options: recovery, archive: imageArchive)
            dockerfile = recovered.text
            rebuildArguments = recovered.buildArguments
            if let directory = contextDirectory, let imageArchive {
                var contextWriter = BuildContextWriter(directory: directory)
                try contextWriter.write(recovered.contextFiles, from: imageArchive)
                for warning in contextWriter.warnings { StandardStreams.error("dockerkit reverse: warning: \(warning)\n") }
                dockerfile = DockerfileRecovery.noteStrippedBits(contextWriter.strippedSpecialBits, in: dockerfile)
            }
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        guard options.has("--build") else {
            StandardStreams.write(dockerfile)
            return 0
        }
        guard let directory = contextDirectory, let original = imageArchive, let reference = options.positional.first else {
            throw CommandFailure(message: "dockerkit reverse: error: --build needs an IMAGE from the engine and --context DIR")
        }
        let dockerfilePath = FilePath.appending("Dockerfile", to: directory)
        do {
            try SafeFileWriter.create(Array(dockerfile.utf8), at: dockerfilePath, mode: 0o644)
        } catch {
            throw CommandFailure(message: error.message)
        }
        StandardStreams.error("dockerkit reverse: wrote \(dockerfilePath); building it\n")
        let tag = options.value("--tag") ?? "dockerkit-reverse/\(reference.split(separator: "/").last.map(String.init)?.replacing(":", with: "-") ?? "image"):rebuilt"
        if !rebuildArguments.isEmpty {
            StandardStreams.error("dockerkit reverse: building with \(rebuildArguments.map { "--build-arg \($0)" }.joined(separator: " ")), as the Dockerfile says\n")
        }
        let status = try BuildCommand.build(context: directory, dockerfile: nil, tags: [tag], buildArguments: rebuildArguments, network: options.value("--network"),
                                            engine: options.value("--engine"), builder: nil, noCache: options.has("--no-cache"))
        guard status == 0 else { throw CommandFailure(message: "dockerkit reverse: error: the reversed Dockerfile did not build (exit \(status))") }
        do {
            let client = EngineClient(engine: options.value("--engine"))
            let rebuilt = try client.save(tag, inflationLimit: inflationLimit)
            let comparison = try ImageComparison.compare(original: original, rebuilt: rebuilt)
            StandardStreams.write(renderComparison(comparison, original: reference, rebuilt: tag))
            return comparison.isEquivalent ? 0 : 1
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// The CLI's own reader (`-` is standard input), with its error as an input error naming the file.
    private static func readFile(_ path: String, limit: Int) throws(InputError) -> [UInt8] {
        do {
            return try readInput(path, limit: limit)
        } catch {
            let message = error.message.hasPrefix(path + ": ") ? String(error.message.dropFirst(path.count + 2)) : error.message
            throw InputError(source: path, message: message)
        }
    }

    /// The verification table: config fields, layers, then the final filesystem, which decides with the fields.
    static func renderComparison(_ comparison: ImageComparison, original: String, rebuilt: String) -> String {
        var output = "\(original) vs \(rebuilt)\n\nFIELD         EQUAL\n"
        for field in comparison.fields {
            let equal = "yes" + (field.noise.map { " (builder, not counted: \($0))" } ?? "")
            output += padded(field.field, to: 14) + (field.isEqual ? equal : "NO: \(field.original) ≠ \(field.rebuilt)") + "\n"
        }
        output += "\nLAYER  FILES  EQUAL  CREATED BY\n"
        if let note = comparison.layerCountNote { output += "(\(note): only the final filesystems are compared)\n" }
        func row(_ layer: ImageComparison.LayerRow, label: String, instruction: String) {
            output += padded(label, to: 7) + padded(String(layer.fileCount), to: 7) + (layer.isEqual ? "yes    " : "NO     ") + instruction + "\n"
            for difference in layer.differences.prefix(10) { output += "         \(difference)\n" }
            for noise in layer.noise.prefix(5) { output += "         (builder, not counted) \(noise)\n" }
        }
        for layer in comparison.layers { row(layer, label: String(layer.number), instruction: String(layer.instruction.prefix(60))) }
        row(comparison.filesystem, label: "all", instruction: "the final filesystem (decides, with the fields)")
        output += comparison.isEquivalent ? "\nequivalent\n" : "\nNOT equivalent\n"
        return output
    }
}
