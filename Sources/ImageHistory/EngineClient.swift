import Support
import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the engine's command-line client (docker or podman) and turns its failures into clear errors.
package struct EngineClient: Sendable {
    /// The client: a name found on PATH or a path.
    package let executable: String

    /// `--engine` if given, else `DOCKERKIT_ENGINE`, else `docker`.
    package init(engine: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        executable = engine ?? environment["DOCKERKIT_ENGINE"] ?? "docker"
    }

    /// The client's full path, or nil when it cannot be found.
    package func resolvedPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs the client with `arguments`; returns standard output, or an error saying what went wrong.
    package func run(_ arguments: [String], image: String? = nil) throws(InputError) -> [UInt8] {
        guard let path = resolvedPath() else {
            throw InputError(source: executable, message: "the engine client '\(executable)' was not found; install docker or podman, or name it with --engine or DOCKERKIT_ENGINE")
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(path, arguments: arguments)
        } catch {
            throw InputError(source: executable, message: error.message)
        }
        guard result.status == 0 else {
            throw Self.explain(String(decoding: result.errorOutput, as: UTF8.self), executable: executable, image: image)
        }
        return result.output
    }

    /// How an engine build ended.
    package struct BuildOutcome: Sendable {
        package let status: Int32
        /// The client cannot build with BuildKit: it has no buildx plugin.
        package let lacksBuildx: Bool
        /// The engine did not answer.
        package let unreachable: Bool
    }

    /// Runs the client's build (`arguments` start with `build` or `buildx build`) with BuildKit unless `classic`, the
    /// engine's output handed over as it comes. One driver for `dockerkit build` and `dockerkit lab up`.
    package func build(_ arguments: [String], classic: Bool = false, output: ChildProcess.OutputHandling,
                       errorOutput: ChildProcess.OutputHandling) throws(InputError) -> BuildOutcome {
        guard let path = resolvedPath() else {
            throw InputError(source: executable, message: "the engine client '\(executable)' was not found; install docker or podman, or name it with --engine or DOCKERKIT_ENGINE")
        }
        var environment = ProcessInfo.processInfo.environment
        if classic {
            environment["DOCKER_BUILDKIT"] = "0"
        } else if arguments.first == "build" && environment["DOCKER_BUILDKIT"] == nil {
            environment["DOCKER_BUILDKIT"] = "1"
        }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(path, arguments: arguments, environment: environment, output: output, errorOutput: errorOutput)
        } catch {
            throw InputError(source: executable, message: error.message)
        }
        // The output is streamed; the tail kept of it explains a failure.
        let text = String(decoding: result.output + result.errorOutput, as: UTF8.self)
        let failed = result.status != 0
        return BuildOutcome(
            status: result.status,
            lacksBuildx: failed && (text.contains("buildx component is missing") || text.contains("'buildx' is not a docker command")),
            unreachable: failed && (text.contains("Cannot connect to the Docker daemon") || text.contains("Is the docker daemon running")))
    }

    /// Turns a client's error output into a message that says what to do.
    static func explain(_ stderr: String, executable: String, image: String?) -> InputError {
        let text = stderr.trimmingWhitespace()
        let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? "unix:///var/run/docker.sock"
        if text.contains("permission denied") && text.contains("sock") {
            return InputError(source: executable, message: "permission denied on the engine socket (\(host)); run as a user in the docker group, or set DOCKER_HOST")
        }
        if text.contains("Cannot connect to the Docker daemon") || text.contains("Is the docker daemon running") || text.contains("connection refused") {
            return InputError(source: executable, message: "the engine is not reachable at \(host); start Docker (systemctl start docker) or point DOCKER_HOST at a running engine")
        }
        if let image, text.lowercased().contains("no such image") || text.contains("image not known") || text.contains("No such object") {
            return InputError(source: executable, message: "image \(image) not found in the engine's local images")
        }
        return InputError(source: executable, message: text.isEmpty ? "the engine client failed" : text)
    }
}

extension EngineClient {
    /// How many settings an image config holds: each variable, label, port and volume, and each other field set.
    static func settingCount(_ decoded: ImageConfig) -> Int {
        let fields: [Bool] = [decoded.cmd != nil, decoded.entrypoint != nil, !decoded.workingDir.isEmpty, !decoded.user.isEmpty,
                              decoded.healthcheck != nil, decoded.shell != nil, !decoded.stopSignal.isEmpty]
        return decoded.env.count + decoded.labels.count + decoded.exposedPorts.count + decoded.volumes.count + decoded.onBuild.count
            + fields.filter { $0 }.count
    }

    /// The configs of local images by ID, in one call; images the engine no longer has are left out.
    package func configs(of ids: [String]) throws(InputError) -> [String: ImageConfig] {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return [:] }
        // inspect fails as a whole when one image is gone: then each is asked alone.
        let objects: [JSONValue]
        if let all = try? run(["image", "inspect"] + unique), let array = (try? JSONValue.parse(all))?.array {
            objects = array
        } else {
            objects = unique.compactMap { id in (try? run(["image", "inspect", id])).flatMap { (try? JSONValue.parse($0))?.array?.first } }
        }
        var result: [String: ImageConfig] = [:]
        for object in objects {
            guard let id = object["Id"]?.string, let config = object["Config"] ?? object["config"] else { continue }
            result[id] = ImageMetadataDecoder.decodeConfig(config)
        }
        return result
    }

    /// Reads an image's history and config from the engine.
    package func imageMetadata(_ reference: String) throws(InputError) -> ImageMetadata {
        let inspect = try run(["image", "inspect", reference], image: reference)
        var metadata = try ImageMetadataDecoder.decodeInspect(inspect, source: "\(executable) image inspect \(reference)")
        let history = try run(["history", "--no-trunc", "--format", "{{json .}}", reference], image: reference)
        metadata.history = try ImageMetadataDecoder.decodeHistoryLines(history, source: "\(executable) history \(reference)")
        if metadata.reference.isEmpty { metadata.reference = reference }
        return metadata
    }
}

extension EngineClient {
    /// `docker save` of `reference` into a temporary file that is read by offset and removed at once, so the
    /// archive never has to fit in memory.
    package func save(_ reference: String, inflationLimit: InflationLimit) throws(InputError) -> ImageArchive {
        var template = Array("\(FilePath.temporaryDirectory)/dockerkit-save-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let base = buffer.baseAddress else { return false }
            return mkdtemp(base) != nil
        }
        guard made else { throw InputError(source: executable, message: "cannot make a temporary folder for docker save") }
        let folder = String(decoding: template.dropLast().map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let path = folder + "/image.tar"
        defer {
            unlink(path)
            rmdir(folder)
        }
        _ = try run(["save", "-o", path, reference], image: reference)
        let file = try OpenFile(path: path, source: "\(executable) save \(reference)")
        return try ImageArchive(store: .file(file), source: "\(executable) save \(reference)", inflationLimit: inflationLimit)
    }

    /// The nearest local image this one was built on: a tagged image whose layers and history start `image`'s,
    /// the longest such (as long as this one's when only the config differs: BuildKit records no entry for ONBUILD
    /// or `--label`); returns its tag and how many history entries it covers. Images that tie (a retag, the same
    /// base saved twice, or a config-only rebuild of it) are told apart by age, the oldest first, then by the fewest
    /// config settings (the plainest), then by tag; `others` names the rest.
    package func nearestLocalBase(of image: ImageMetadata) throws(InputError) -> (reference: String, historyCount: Int, others: [String])? {
        let listing = String(decoding: try run(["image", "ls", "--quiet", "--no-trunc"]), as: UTF8.self)
        let ids = Array(Set(listing.split(whereSeparator: \.isNewline).map(String.init))).sorted()
        guard !ids.isEmpty else { return nil }
        let inspected = try run(["image", "inspect"] + ids)
        guard let objects = (try? JSONValue.parse(inspected))?.array else { return nil }
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
            let lines = try run(["history", "--no-trunc", "--format", "{{json .}}", reference], image: reference)
            let baseHistory = try ImageMetadataDecoder.decodeHistoryLines(lines, source: reference).map { $0.createdBy }
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
