import Engine
import Support
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension EngineClient {
    /// How many settings an image config holds: each variable, label, port and volume, and each other field set.
    static func settingCount(_ decoded: ImageConfig) -> Int {
        let fields: [Bool] = [decoded.cmd != nil, decoded.entrypoint != nil, !decoded.workingDir.isEmpty, !decoded.user.isEmpty,
                              decoded.healthcheck != nil, decoded.shell != nil, !decoded.stopSignal.isEmpty]
        return decoded.env.count + decoded.labels.count + decoded.exposedPorts.count + decoded.volumes.count + decoded.onBuild.count
            + fields.filter { $0 }.count
    }

    /// The configs of local images by ID; images the engine no longer has are left out.
    package func configs(of ids: [String]) throws(InputError) -> [String: ImageConfig] {
        var result: [String: ImageConfig] = [:]
        for object in inspectObjects(Array(Set(ids)).sorted(), skippingMissing: true) {
            guard let id = object["Id"]?.string, let config = object["Config"] ?? object["config"] else { continue }
            result[id] = ImageMetadataDecoder.decodeConfig(config)
        }
        return result
    }

    /// Reads an image's history and config from the engine: through its API when it has one (the exact bytes),
    /// else through the client.
    package func imageMetadata(_ reference: String) throws(InputError) -> ImageMetadata {
        var metadata: ImageMetadata
        if let api {
            let path = "/images/\(EngineAPI.escaped(reference))"
            let missing = "image \(reference.escapingControlCharacters()) not found in the engine's local images"
            metadata = try ImageMetadataDecoder.decodeInspect(try api.get(path + "/json", notFound: missing), source: "GET \(path)/json")
            metadata.history = try ImageMetadataDecoder.decodeHistoryLines(try api.get(path + "/history"), source: "GET \(path)/history")
        } else {
            let inspect = try run(["image", "inspect", reference], image: reference)
            metadata = try ImageMetadataDecoder.decodeInspect(inspect, source: "\(executable) image inspect \(reference)")
            let history = try run(["history", "--no-trunc", "--format", "{{json .}}", reference], image: reference)
            metadata.history = try ImageMetadataDecoder.decodeHistoryLines(history, source: "\(executable) history \(reference)")
        }
        if metadata.reference.isEmpty { metadata.reference = reference }
        return metadata
    }

    /// `image inspect` objects of `references` (one request each through the API, one call through the client);
    /// with `skippingMissing`, images the engine no longer has are left out instead of failing the whole call.
    func inspectObjects(_ references: [String], skippingMissing: Bool = false) -> [JSONValue] {
        guard !references.isEmpty else { return [] }
        if let api {
            return references.compactMap { reference in
                (try? api.get("/images/\(EngineAPI.escaped(reference))/json")).flatMap { try? JSONValue.parse($0) }
            }
        }
        // inspect fails as a whole when one image is gone: then each is asked alone.
        if let all = try? run(["image", "inspect"] + references), let array = (try? JSONValue.parse(all))?.array { return array }
        guard skippingMissing else { return [] }
        return references.compactMap { id in (try? run(["image", "inspect", id])).flatMap { (try? JSONValue.parse($0))?.array?.first } }
    }

    /// The IDs of the engine's local images.
    func localImageIDs() throws(InputError) -> [String] {
        if let api {
            let listing = try api.get("/images/json")
            return ((try? JSONValue.parse(listing))?.array ?? []).compactMap { $0["Id"]?.string }
        }
        let listing = String(decoding: try run(["image", "ls", "--quiet", "--no-trunc"]), as: UTF8.self)
        return listing.split(whereSeparator: \.isNewline).map(String.init)
    }

    /// An image's history, oldest first, as exact as the engine can tell it.
    func historyEntries(of reference: String) throws(InputError) -> [HistoryEntry] {
        if let api {
            let path = "/images/\(EngineAPI.escaped(reference))/history"
            return try ImageMetadataDecoder.decodeHistoryLines(try api.get(path), source: "GET \(path)")
        }
        let lines = try run(["history", "--no-trunc", "--format", "{{json .}}", reference], image: reference)
        return try ImageMetadataDecoder.decodeHistoryLines(lines, source: reference)
    }
}

extension EngineClient {
    /// `docker save` of `reference` into a temporary file that is read by offset, so the archive never has to fit
    /// in memory.
    package func save(_ reference: String, inflationLimit: InflationLimit) throws(InputError) -> ImageArchive {
        let file = try temporaryOutput(of: { ["save", "-o", $0, reference] }, image: reference, source: "\(executable) save \(reference)")
        return try ImageArchive(store: .file(file), source: "\(executable) save \(reference)", inflationLimit: inflationLimit)
    }

    /// Runs the client with the arguments `command` gives for an output file in a fresh temporary folder, and
    /// returns that file opened; it is removed at once (the open file stays readable), so nothing is left behind.
    package func temporaryOutput(of command: (String) -> [String], image: String? = nil, source: String) throws(InputError) -> OpenFile {
        var template = Array("\(FilePath.temporaryDirectory)/dockerkit-engine-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw InputError(source: executable, message: "cannot make a temporary folder for \(source)") }
        let folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let path = folder + "/output.tar"
        defer {
            unlink(path)
            rmdir(folder)
        }
        _ = try run(command(path), image: image)
        return try OpenFile(path: path, source: source)
    }

    /// The nearest local image this one was built on: a tagged image whose layers and history start `image`'s,
    /// the longest such (as long as this one's when only the config differs: BuildKit records no entry for ONBUILD
    /// or `--label`); returns its tag and how many history entries it covers. Images that tie (a retag, the same
    /// base saved twice, or a config-only rebuild of it) are told apart by age, the oldest first, then by the fewest
    /// config settings (the plainest), then by tag; `others` names the rest.
    package func nearestLocalBase(of image: ImageMetadata) throws(InputError) -> (reference: String, historyCount: Int, others: [String])? {
        let ids = Array(Set(try localImageIDs())).sorted()
        let objects = inspectObjects(ids)
        guard !objects.isEmpty else { return nil }
        var candidates: [(tags: [String], created: String, settings: Int, config: ImageConfig)] = []
        var created = ""
        for object in objects {
            if object["Id"]?.string == image.id { created = object["Created"]?.string ?? "" }
            guard object["Id"]?.string != image.id,
                  let tags = object["RepoTags"]?.strings?.filter({ !$0.contains("<none>") }).sorted(), !tags.isEmpty,
                  let layers = object["RootFS"]?["Layers"]?.strings,
                  layers.count <= image.layerDiffIDs.count, Array(image.layerDiffIDs.prefix(layers.count)) == layers else { continue }
            let config = object["Config"].map(ImageMetadataDecoder.decodeConfig) ?? ImageConfig()
            candidates.append((tags, object["Created"]?.string ?? "", Self.settingCount(config), config))
        }
        let history = image.history.map { $0.createdBy }
        var matches: [(tags: [String], created: String, settings: Int, historyCount: Int)] = []
        for candidate in candidates {
            let reference = candidate.tags[0]
            let baseHistory = try historyEntries(of: reference).map { $0.createdBy }
            guard baseHistory.count <= history.count, Array(history.prefix(baseHistory.count)) == baseHistory else { continue }
            // As long a history is a base's only when the image changed its config after it (ONBUILD, --label): an
            // image with the same config, or a newer one, is a sibling built the same way (RFC 3339 times of one
            // engine compare as text).
            if baseHistory.count == history.count, candidate.config == image.config || (!created.isEmpty && candidate.created > created) { continue }
            matches.append((candidate.tags, candidate.created, candidate.settings, baseHistory.count))
        }
        guard let longest = matches.map(\.historyCount).max() else { return nil }
        let tied = matches.filter { $0.historyCount == longest }.sorted { ($0.created, $0.settings, $0.tags[0]) < ($1.created, $1.settings, $1.tags[0]) }
        let chosen = tied[0]
        let others = Array((chosen.tags.dropFirst() + tied.dropFirst().flatMap(\.tags)))
        return (chosen.tags[0], longest, others)
    }
}
