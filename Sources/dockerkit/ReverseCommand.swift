import FoundationEssentials
import ImageHistory
import Support

/// `dockerkit reverse`: a Dockerfile rebuilt from an image's history and config.
enum ReverseCommand {
    static let valueOptions: [String] = ["--history", "--inspect", "--archive", "--container", "--base", "--base-layers", "--engine", "--context", "--tag",
                                            "--network", "--max-layer-size", "--max-inflation-ratio", "--max-input-size"]
    static let flagOptions: [String] = ["--help", "--build", "--no-cache"]
    static let usage = """
        usage: dockerkit reverse IMAGE [--engine docker|podman|PATH]
               dockerkit reverse --history FILE|- [--inspect FILE]
               dockerkit reverse --inspect FILE        (buildah inspect --type image: the history is in it)
               dockerkit reverse --archive FILE.tar
               dockerkit reverse --container NAME|ID   (what the container added to its image: packages, files, removals)
               options: --base IMAGE, --base-layers N, --context DIR [--build [-t TAG] [--network MODE] [--no-cache]]
                        --max-layer-size SIZE (default 16G), --max-inflation-ratio N (default 200),
                        --max-input-size SIZE (history and inspect files; default 64M)

        Reads the image through the engine's API on its Unix socket (DOCKER_HOST=unix://… or the default: exact history),
        or its client (--engine, or a tcp:// or ssh:// DOCKER_HOST: tabs in history print as spaces), or offline from
        `docker history --no-trunc --format '{{json .}}'`, `docker image inspect` or `docker save` output, and prints a
        Dockerfile that rebuilds it. --context DIR writes the files COPY/ADD layers added (and an unknown base's layers)
        into DIR, so DIR builds. --build (with IMAGE and --context) also builds DIR and compares the two images: config
        fields and every layer's files; exit 0 only when they are equivalent. The build cache may reuse the original's RUN
        layers; --no-cache runs every RUN again. Archives are read in place, layers decompressed as read; a layer that
        inflates past --max-layer-size, or past --max-inflation-ratio times its compressed size (beyond its first 64
        MiB), stops the run (exit 2). Context files never land outside DIR (`..`, absolute names, a symlink on the way:
        skipped with a warning); hard links become copies, device files are not made, setuid bits are dropped.
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
        if let container = options.value("--container") { return try reverseContainer(container, options: options) }
        let contextDirectory = options.value("--context")
        var recovery = RecoveryOptions(base: options.value("--base"), usesContext: contextDirectory != nil)
        if let layers = options.value("--base-layers") {
            guard let count = Int(layers), count >= 0 else { throw CommandFailure(message: "dockerkit reverse: error: --base-layers takes a number, not '\(layers)'") }
            recovery.baseLayers = count
        }
        let (inflationLimit, inputLimit) = try limits(options)
        let source = try input(options, inputLimit: inputLimit)
        let image: SourcedImage
        do {
            image = try ImageSource.read(source, recovery: recovery, inflationLimit: inflationLimit)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        if case .inspect = source, image.metadata.history.isEmpty {
            throw CommandFailure(message: "dockerkit reverse: error: --inspect needs --history too: the inspect output holds the image's config but not its build steps (write them with: docker history --no-trunc --format '{{json .}}' IMAGE > history.jsonl)")
        }
        let (dockerfile, rebuildArguments) = try recover(image, into: contextDirectory)
        guard options.has("--build") else {
            StandardStreams.write(dockerfile)
            return 0
        }
        guard let directory = contextDirectory, let original = image.archive, let reference = options.positional.first else {
            throw CommandFailure(message: "dockerkit reverse: error: --build needs an IMAGE from the engine and --context DIR")
        }
        let tag = options.value("--tag") ?? "dockerkit-reverse/\(reference.split(separator: "/").last.map(String.init)?.replacing(":", with: "-") ?? "image"):rebuilt"
        try rebuild(dockerfile, in: directory, tag: tag, buildArguments: rebuildArguments, options: options)
        do {
            let comparison = try ImageSource.compareRebuilt(tag, with: original, engine: options.value("--engine"), inflationLimit: inflationLimit)
            StandardStreams.write(renderComparison(comparison, original: reference, rebuilt: tag))
            return comparison.isEquivalent ? 0 : 1
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }

    /// `--max-layer-size`, `--max-inflation-ratio` and `--max-input-size`.
    private static func limits(_ options: CommandLineArguments) throws(CommandFailure) -> (InflationLimit, Int) {
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
        return (inflationLimit, inputLimit)
    }

    /// The image the options name: an archive, history (and inspect) files, an engine image, or buildah's inspect.
    private static func input(_ options: CommandLineArguments, inputLimit: Int) throws(CommandFailure) -> ImageInput {
        do throws(InputError) {
            if let archive = options.value("--archive") { return .archive(path: archive) }
            if let history = options.value("--history") {
                let inspect = try options.value("--inspect").map { (path: String) throws(InputError) in (try readInputFile(path, limit: inputLimit), path) }
                return .history(bytes: try readInputFile(history, limit: inputLimit), name: history == "-" ? "<stdin>" : history, inspect: inspect)
            }
            if let reference = options.positional.first, options.positional.count == 1 {
                return .engine(reference: reference, engine: options.value("--engine"), layers: options.value("--context") != nil)
            }
            if let inspect = options.value("--inspect") { return .inspect(bytes: try readInputFile(inspect, limit: inputLimit), name: inspect) }
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        throw CommandFailure(message: "dockerkit reverse: error: name an IMAGE, or give --history [--inspect] or --archive\n\(usage)")
    }

    /// The Dockerfile and its build arguments; with a context folder, the files its COPY/ADD lines take are written there.
    private static func recover(_ image: SourcedImage, into contextDirectory: String?) throws(CommandFailure) -> (String, [String]) {
        if let directory = contextDirectory {
            guard image.archive != nil else {
                throw CommandFailure(message: "dockerkit reverse: error: --context needs the image's layers: name an IMAGE in the engine or give --archive")
            }
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw CommandFailure(message: "dockerkit reverse: error: cannot create the context folder \(directory)")
            }
        }
        do {
            let reversed = try image.reverse(contextDirectory: contextDirectory)
            for warning in reversed.warnings { StandardStreams.error("dockerkit reverse: warning: \(warning)\n") }
            return (reversed.dockerfile, reversed.buildArguments)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}
