import Support
import FoundationEssentials

/// One step of an image's history, newest last once decoded.
package struct HistoryEntry: Sendable, Equatable {
    /// The command the builder recorded (`/bin/sh -c #(nop)  CMD …`, `RUN … # buildkit`, or empty).
    package var createdBy: String
    package var comment: String
    /// Whether the step made no layer (metadata only), when the source says so.
    package var emptyLayer: Bool?
    /// The image the step left, when the engine still has it (the classic builder's local builds keep one per step).
    package var imageID = ""

    package init(createdBy: String, comment: String = "", emptyLayer: Bool? = nil) {
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }
}

/// The parts of an image's config the reverser reads (`docker image inspect` `.Config`, or an archive's config).
package struct ImageConfig: Sendable, Equatable {
    package var env: [String] = []
    package var cmd: [String]?
    package var entrypoint: [String]?
    package var workingDir = ""
    package var user = ""
    package var exposedPorts: [String] = []
    package var volumes: [String] = []
    package var labels: [String: String] = [:]
    package var healthcheck: Healthcheck?
    package var shell: [String]?
    package var stopSignal = ""
    package var onBuild: [String] = []
    /// What the source says about ONBUILD, HEALTHCHECK and SHELL, which only docker's image format can hold.
    package var dockerOnlyFields = DockerOnlyFields.shown

    /// How ONBUILD triggers, the health check and SHELL appear in the source of a config.
    package enum DockerOnlyFields: Sendable, Equatable {
        /// Shown when set (docker's inspect and configs): a missing one is not in the image.
        case shown
        /// The image is in the OCI format, which has no such fields: buildah and podman drop those instructions.
        case impossible
        /// podman's inspect of a docker-format image shows the health check but not triggers or SHELL.
        case onlyHealthcheckShown
    }

    /// Whether the image has no setting of an ONBUILD, HEALTHCHECK or SHELL instruction its history records:
    /// the builder dropped it (the OCI format cannot hold it), so the config wins over the history.
    package func lacks(_ keyword: String) -> Bool {
        switch (dockerOnlyFields, keyword) {
        case (.impossible, "ONBUILD"), (.impossible, "HEALTHCHECK"), (.impossible, "SHELL"): true
        case (.shown, "ONBUILD"): onBuild.isEmpty
        case (.shown, "SHELL"): shell == nil
        case (.shown, "HEALTHCHECK"), (.onlyHealthcheckShown, "HEALTHCHECK"): healthcheck == nil
        default: false
        }
    }

    package init() {}

    /// `HEALTHCHECK` as the config keeps it: durations in nanoseconds.
    package struct Healthcheck: Sendable, Equatable {
        package var test: [String]
        package var interval: Int64 = 0
        package var timeout: Int64 = 0
        package var startPeriod: Int64 = 0
        package var retries: Int = 0
    }

    /// The value of an environment variable, if the config sets it.
    package func environmentValue(_ name: String) -> String? {
        for entry in env.reversed() {
            if let equals = entry.firstIndex(of: "="), entry[..<equals] == name { return String(entry[entry.index(after: equals)...]) }
        }
        return nil
    }
}

/// What is known of one image: identity, config, history (oldest first) and its layers' digests.
package struct ImageMetadata: Sendable {
    package var reference = ""
    package var id = ""
    package var repoDigests: [String] = []
    package var config: ImageConfig?
    package var history: [HistoryEntry] = []
    /// RootFS diff IDs, oldest first.
    package var layerDiffIDs: [String] = []

    package init() {}
}

/// Decoders for `docker history --format '{{json .}}'`, `docker image inspect` and image configs.
package enum ImageMetadataDecoder {
    /// Reads JSON Lines from `docker history --no-trunc --format '{{json .}}'` (newest first) into oldest-first entries.
    package static func decodeHistoryLines(_ data: [UInt8], source: String) throws(InputError) -> [HistoryEntry] {
        let data = InvalidUTF8.markingInvalidBytes(data)
        // `podman history --format json` prints one JSON array instead of lines.
        if let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first == UInt8(ascii: "["),
           let array = (try? JSONValue.parse(data))?.array {
            let entries = array.compactMap(historyEntry)
            guard entries.count == array.count, !entries.isEmpty else {
                throw InputError(source: source, message: "a JSON array, but not of history entries (no CreatedBy)")
            }
            return entries.reversed()
        }
        var entries: [HistoryEntry] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.isEmpty || trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONValue.parse(trimmed), object.members != nil else {
                throw InputError(source: source, line: lineNumber, message: "not a JSON object (expected the output of docker history --no-trunc --format '{{json .}}')")
            }
            guard let entry = historyEntry(object) else {
                throw InputError(source: source, line: lineNumber, message: "no CreatedBy field: is this docker history output?")
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw InputError(source: source, message: "no history entries") }
        return entries.reversed()
    }

    /// One history entry as docker (`CreatedBy`, `Comment`) or podman (`createdBy`, `comment`) spell it.
    /// podman leaves out an empty `CreatedBy` (an imported layer); an entry with a creation time is still one.
    static func historyEntry(_ object: JSONValue) -> HistoryEntry? {
        let command = (object["CreatedBy"] ?? object["createdBy"] ?? object["created_by"])?.string
        guard command != nil || object["created"] != nil || object["Created"] != nil else { return nil }
        var entry = HistoryEntry(createdBy: command ?? "", comment: (object["Comment"] ?? object["comment"])?.string ?? "")
        if let id = (object["ID"] ?? object["Id"] ?? object["id"])?.string, id != "<missing>" { entry.imageID = id }
        return entry
    }

    /// Reads `docker image inspect` output (an array with one image, or the image object itself).
    package static func decodeInspect(_ data: [UInt8], source: String) throws(InputError) -> ImageMetadata {
        let data = InvalidUTF8.markingInvalidBytes(data)
        let root = try parseJSON(data, source: source, malformed: "malformed JSON (expected docker image inspect output)")
        let object: JSONValue
        if let array = root.array {
            guard array.count == 1, let first = array.first, first.members != nil else {
                throw InputError(source: source, message: "expected docker image inspect output for exactly one image, found \(array.count)")
            }
            object = first
        } else if root.members != nil {
            object = root
        } else {
            throw InputError(source: source, message: "expected docker image inspect output (a JSON array of images)")
        }
        if let buildah = decodeBuildahInspect(object) { return buildah }
        guard var config = [object["Config"], object["config"]].compactMap({ $0 }).first(where: { $0.members != nil }) else {
            throw InputError(source: source, message: "no Config in the image: is this docker image inspect output?")
        }
        // podman's inspect keeps the health check beside the config rather than in it.
        if config["Healthcheck"] == nil, let check = object["Healthcheck"], case .object(var members) = config {
            members.append((key: "Healthcheck", value: check))
            config = .object(members)
        }
        var metadata = ImageMetadata()
        metadata.id = object["Id"]?.string ?? ""
        metadata.reference = object["RepoTags"]?.strings?.first ?? ""
        metadata.repoDigests = object["RepoDigests"]?.strings ?? []
        metadata.config = decodeConfig(config)
        // podman's inspect names the manifest type and shows neither triggers nor SHELL of a docker-format image.
        if let manifestType = object["ManifestType"]?.string {
            metadata.config?.dockerOnlyFields = manifestType.contains(".oci.") ? .impossible : .onlyHealthcheckShown
        }
        if let rootFS = [object["RootFS"], object["rootfs"]].compactMap({ $0 }).first(where: { $0.members != nil }) {
            metadata.layerDiffIDs = rootFS["Layers"]?.strings ?? rootFS["diff_ids"]?.strings ?? []
        }
        return metadata
    }

    /// `buildah inspect --type image`: the image's OCI config and the docker-format one buildah would write, each
    /// with its history (which says which steps made layers); the manifest says which format the image is in.
    static func decodeBuildahInspect(_ object: JSONValue) -> ImageMetadata? {
        guard object["Type"]?.string?.hasPrefix("buildah") == true, let oci = object["OCIv1"], oci.members != nil else { return nil }
        let isOCI = object["Manifest"]?.string?.contains("application/vnd.oci.image.manifest") ?? true
        let section = isOCI ? oci : (object["Docker"]?.members != nil ? object["Docker"] ?? oci : oci)
        var metadata = decodeImageConfig(section)
        if isOCI { metadata.config?.dockerOnlyFields = .impossible }
        metadata.id = object["FromImageID"]?.string ?? ""
        metadata.reference = object["FromImage"]?.string ?? ""
        return metadata
    }

    /// Reads an image config blob (OCI / docker save `config`, `history` and `rootfs`).
    package static func decodeImageConfigBlob(_ data: [UInt8], source: String) throws(InputError) -> ImageMetadata {
        let data = InvalidUTF8.markingInvalidBytes(data)
        let object = try parseJSON(data, source: source, malformed: "malformed image config JSON")
        guard object.members != nil else {
            throw InputError(source: source, message: "an image config is a JSON object")
        }
        return decodeImageConfig(object)
    }

    /// An image config object: `config`, `history` and `rootfs`.
    static func decodeImageConfig(_ object: JSONValue) -> ImageMetadata {
        var metadata = ImageMetadata()
        metadata.config = decodeConfig(object["config"] ?? .object([]))
        for entry in object["history"]?.array ?? [] where entry.members != nil {
            metadata.history.append(HistoryEntry(createdBy: entry["created_by"]?.string ?? "", comment: entry["comment"]?.string ?? "",
                                                 emptyLayer: entry["empty_layer"]?.bool ?? false))
        }
        if let rootFS = object["rootfs"], rootFS.members != nil {
            metadata.layerDiffIDs = rootFS["diff_ids"]?.strings ?? []
        }
        return metadata
    }

    static func decodeConfig(_ config: JSONValue) -> ImageConfig {
        var result = ImageConfig()
        result.env = config["Env"]?.strings ?? []
        result.cmd = config["Cmd"]?.strings
        result.entrypoint = config["Entrypoint"]?.strings
        result.workingDir = config["WorkingDir"]?.string ?? ""
        result.user = config["User"]?.string ?? ""
        result.exposedPorts = config["ExposedPorts"]?.members.map { Array(Set($0.map(\.key))).sorted() } ?? []
        result.volumes = config["Volumes"]?.members.map { Array(Set($0.map(\.key))).sorted() } ?? []
        if let labels = config["Labels"]?.members, labels.allSatisfy({ $0.value.string != nil }) {
            for (key, value) in labels { result.labels[key] = value.string }
        }
        if let check = config["Healthcheck"], let test = check["Test"]?.strings {
            result.healthcheck = ImageConfig.Healthcheck(
                test: test, interval: check["Interval"]?.integer ?? 0, timeout: check["Timeout"]?.integer ?? 0,
                startPeriod: check["StartPeriod"]?.integer ?? 0, retries: Int(check["Retries"]?.integer ?? 0))
        }
        result.shell = config["Shell"]?.strings
        result.stopSignal = config["StopSignal"]?.string ?? ""
        result.onBuild = config["OnBuild"]?.strings ?? []
        // Docker writes `"OnBuild": null`; an OCI config has no such key.
        let keys = Set(config.members?.map(\.key) ?? [])
        result.dockerOnlyFields = keys.isDisjoint(with: ["OnBuild", "Shell", "Healthcheck"]) ? .impossible : .shown
        return result
    }

    /// Parses JSON; a syntax error becomes `malformed` at the line and column where the document stops making sense.
    private static func parseJSON(_ data: [UInt8], source: String, malformed: String) throws(InputError) -> JSONValue {
        do {
            return try JSONValue.parse(data)
        } catch {
            let before = data.prefix(min(error.offset, data.count))
            let line = before.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let column = before.count - (before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0) + 1
            throw InputError(source: source, line: line, column: column, message: "\(malformed): \(error.message)")
        }
    }
}
