import Engine
import Support

/// Where `reverse` reads an image from.
package enum ImageInput: Sendable {
    /// An image in the engine; `layers` also saves it, for a build context.
    case engine(reference: String, engine: String?, layers: Bool)
    /// A `docker save` (or podman, OCI layout) archive.
    case archive(path: String)
    /// `docker history --format '{{json .}}'` lines, with `docker image inspect` output when given.
    case history(bytes: [UInt8], name: String, inspect: (bytes: [UInt8], name: String)?)
    /// `buildah inspect --type image` output, which holds the history too.
    case inspect(bytes: [UInt8], name: String)
}

/// An image read for recovery: its metadata, the name the output calls it by, its layers when they were read, and
/// the recovery options with the base worked out.
package struct SourcedImage: Sendable {
    package var metadata: ImageMetadata
    package var sourceName: String
    package var archive: ImageArchive?
    package var recovery: RecoveryOptions
}

/// Reads an image from the engine or from files, and chooses its base where the engine can tell.
package enum ImageSource {
    package static func read(_ input: ImageInput, recovery: RecoveryOptions, inflationLimit: InflationLimit) throws(InputError) -> SourcedImage {
        switch input {
        case .archive(let path):
            let archive = try ImageArchive(store: .file(try OpenFile(path: path, source: path)), source: path, inflationLimit: inflationLimit)
            let metadata = archive.metadata
            return SourcedImage(metadata: metadata, sourceName: metadata.reference.isEmpty ? path : "\(metadata.reference) (\(path))",
                                archive: archive, recovery: recovery)
        case .history(let bytes, let name, let inspect):
            var image = ImageMetadata()
            if let inspect { image = try ImageMetadataDecoder.decodeInspect(inspect.bytes, source: inspect.name) }
            image.history = try ImageMetadataDecoder.decodeHistoryLines(bytes, source: name)
            return SourcedImage(metadata: image, sourceName: image.reference.isEmpty ? name : image.reference, archive: nil, recovery: recovery)
        case .inspect(let bytes, let name):
            let image = try ImageMetadataDecoder.decodeInspect(bytes, source: name)
            return SourcedImage(metadata: image, sourceName: image.reference.isEmpty ? name : image.reference, archive: nil, recovery: recovery)
        case .engine(let reference, let engine, let layers):
            return try readFromEngine(reference, client: EngineClient(engine: engine), layers: layers, recovery: recovery, inflationLimit: inflationLimit)
        }
    }

    private static func readFromEngine(_ reference: String, client: EngineClient, layers: Bool, recovery: RecoveryOptions,
                                       inflationLimit: InflationLimit) throws(InputError) -> SourcedImage {
        var image = try client.imageMetadata(reference)
        var recovery = recovery
        if client.api == nil {
            recovery.sourceNote = "Read through the \(FilePath.lastComponent(client.executable)) client, which prints tabs in history as spaces: a RUN that wrote a tab may differ."
        }
        recovery.stepConfigs = try client.configs(of: image.history.map(\.imageID).filter { !$0.isEmpty && $0 != image.id })
        var archive: ImageArchive?
        if layers {
            // The layers come from docker save; its config history also says which entries made layers.
            let saved = try client.save(reference, inflationLimit: inflationLimit)
            if saved.metadata.history.count == image.history.count {
                for index in image.history.indices { image.history[index].emptyLayer = saved.metadata.history[index].emptyLayer }
            } else {
                image.history = saved.metadata.history
            }
            archive = saved
        }
        try chooseBase(of: image, client: client, recovery: &recovery)
        return SourcedImage(metadata: image, sourceName: reference, archive: archive, recovery: recovery)
    }

    /// Without `--base`, the nearest local image whose layers and history start this one's; with a base, its config,
    /// and how many entries it covers when its history starts this one's.
    private static func chooseBase(of image: ImageMetadata, client: EngineClient, recovery: inout RecoveryOptions) throws(InputError) {
        if recovery.base == nil && recovery.baseLayers == nil, let base = try client.nearestLocalBase(of: image) {
            recovery.base = base.reference
            recovery.baseLayers = base.historyCount
            recovery.baseNote = "Base image \(base.reference): the nearest local image whose layers and history start this one's."
                + (base.others.isEmpty ? "" : " Tied with \(base.others.joined(separator: ", ")); the oldest image, then the one with the fewest config settings, then the first tag, is chosen (name another with --base).")
        }
        guard let base = recovery.base, let baseMetadata = try? client.imageMetadata(base) else { return }
        recovery.baseConfig = baseMetadata.config ?? ImageConfig()
        let baseHistory = baseMetadata.history.map(\.createdBy)
        if recovery.baseLayers == nil, baseHistory.count <= image.history.count,
           image.history.prefix(baseHistory.count).map(\.createdBy) == baseHistory {
            recovery.baseLayers = baseHistory.count
        }
    }
}

extension ImageSource {
    /// Compares an image the engine built (`rebuilt`, a tag) with the original's layers, file by file.
    package static func compareRebuilt(_ rebuilt: String, with original: ImageArchive, engine: String?, inflationLimit: InflationLimit) throws(InputError) -> ImageComparison {
        let saved = try EngineClient(engine: engine).save(rebuilt, inflationLimit: inflationLimit)
        return try ImageComparison.compare(original: original, rebuilt: saved)
    }
}

/// A recovered Dockerfile as `reverse` prints it, with the build arguments a rebuild needs and what writing the
/// context had to leave out.
package struct ReversedImage: Sendable {
    package var dockerfile: String
    package var buildArguments: [String]
    package var warnings: [String]
}

extension SourcedImage {
    /// Recovers the Dockerfile; with `contextDirectory` (and the image's layers), writes the files its COPY/ADD lines
    /// take there, never outside it.
    package func reverse(contextDirectory: String?) throws(InputError) -> ReversedImage {
        let recovered = try DockerfileRecovery.recover(metadata, sourceName: sourceName, options: recovery, archive: archive)
        var result = ReversedImage(dockerfile: recovered.text, buildArguments: recovered.buildArguments, warnings: [])
        if let contextDirectory, let archive {
            var contextWriter = BuildContextWriter(directory: contextDirectory)
            try contextWriter.write(recovered.contextFiles, from: archive)
            result.warnings = contextWriter.warnings
            result.dockerfile = DockerfileRecovery.noteStrippedBits(contextWriter.strippedSpecialBits, in: result.dockerfile)
        }
        return result
    }
}
