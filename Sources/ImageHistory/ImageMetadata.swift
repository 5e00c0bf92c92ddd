import Foundation

/// One step of an image's history, newest last once decoded.
public struct HistoryEntry: Sendable, Equatable {
    /// The command the builder recorded (`/bin/sh -c #(nop)  CMD …`, `RUN … # buildkit`, or empty).
    public var createdBy: String
    public var comment: String
    /// Whether the step made no layer (metadata only), when the source says so.
    public var emptyLayer: Bool?

    public init(createdBy: String, comment: String = "", emptyLayer: Bool? = nil) {
        self.createdBy = createdBy
        self.comment = comment
        self.emptyLayer = emptyLayer
    }
}

/// The parts of an image's config the reverser reads (`docker image inspect` `.Config`, or an archive's config).
public struct ImageConfig: Sendable, Equatable {
    public var env: [String] = []
    public var cmd: [String]?
    public var entrypoint: [String]?
    public var workingDir = ""
    public var user = ""
    public var exposedPorts: [String] = []
    public var volumes: [String] = []
    public var labels: [String: String] = [:]
    public var healthcheck: Healthcheck?
    public var shell: [String]?
    public var stopSignal = ""
    public var onBuild: [String] = []

    public init() {}

    /// `HEALTHCHECK` as the config keeps it: durations in nanoseconds.
    public struct Healthcheck: Sendable, Equatable {
        public var test: [String]
        public var interval: Int64 = 0
        public var timeout: Int64 = 0
        public var startPeriod: Int64 = 0
        public var retries: Int = 0
    }

    /// The value of an environment variable, if the config sets it.
    public func environmentValue(_ name: String) -> String? {
        for entry in env.reversed() {
            if let equals = entry.firstIndex(of: "="), entry[..<equals] == name { return String(entry[entry.index(after: equals)...]) }
        }
        return nil
    }
}

/// What is known of one image: identity, config, history (oldest first) and its layers' digests.
public struct ImageMetadata: Sendable {
    public var reference = ""
    public var id = ""
    public var repoDigests: [String] = []
    public var config: ImageConfig?
    public var history: [HistoryEntry] = []
    /// RootFS diff IDs, oldest first.
    public var layerDiffIDs: [String] = []

    public init() {}
}

/// Input that cannot be read as image metadata, with where (`file:line`) when known.
public struct ImageInputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let source: String
    public let line: Int?
    public let message: String

    public init(source: String, line: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(source):\(line):1: error: \(message)" }
        return "\(source): error: \(message)"
    }
}

/// Decoders for `docker history --format '{{json .}}'`, `docker image inspect` and image configs.
public enum ImageMetadataDecoder {
    /// Reads JSON Lines from `docker history --no-trunc --format '{{json .}}'` (newest first) into oldest-first entries.
    public static func decodeHistoryLines(_ data: [UInt8], source: String) throws(ImageInputError) -> [HistoryEntry] {
        // `podman history --format json` prints one JSON array instead of lines.
        if let first = data.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }), first == UInt8(ascii: "["),
           let array = try? JSONSerialization.jsonObject(with: Data(data)) as? [[String: Any]] {
            let entries = array.compactMap(historyEntry)
            guard entries.count == array.count, !entries.isEmpty else {
                throw ImageInputError(source: source, message: "a JSON array, but not of history entries (no CreatedBy)")
            }
            return entries.reversed()
        }
        var entries: [HistoryEntry] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.drop { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }
            if trimmed.isEmpty || trimmed.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(trimmed)) as? [String: Any] else {
                throw ImageInputError(source: source, line: lineNumber, message: "not a JSON object (expected the output of docker history --no-trunc --format '{{json .}}')")
            }
            guard let entry = historyEntry(object) else {
                throw ImageInputError(source: source, line: lineNumber, message: "no CreatedBy field: is this docker history output?")
            }
            entries.append(entry)
        }
        guard !entries.isEmpty else { throw ImageInputError(source: source, message: "no history entries") }
        return entries.reversed()
    }

    /// One history entry as docker (`CreatedBy`, `Comment`) or podman (`createdBy`, `comment`) spell it.
    static func historyEntry(_ object: [String: Any]) -> HistoryEntry? {
        guard let createdBy = (object["CreatedBy"] ?? object["createdBy"] ?? object["created_by"]) as? String else { return nil }
        return HistoryEntry(createdBy: createdBy, comment: (object["Comment"] ?? object["comment"]) as? String ?? "")
    }

    /// Reads `docker image inspect` output (an array with one image, or the image object itself).
    public static func decodeInspect(_ data: [UInt8], source: String) throws(ImageInputError) -> ImageMetadata {
        let root = try parseJSON(data, source: source, malformed: "malformed JSON (expected docker image inspect output)")
        let object: [String: Any]
        if let array = root as? [Any] {
            guard array.count == 1, let first = array.first as? [String: Any] else {
                throw ImageInputError(source: source, message: "expected docker image inspect output for exactly one image, found \(array.count)")
            }
            object = first
        } else if let single = root as? [String: Any] {
            object = single
        } else {
            throw ImageInputError(source: source, message: "expected docker image inspect output (a JSON array of images)")
        }
        guard let config = object["Config"] as? [String: Any] ?? object["config"] as? [String: Any] else {
            throw ImageInputError(source: source, message: "no Config in the image: is this docker image inspect output?")
        }
        var metadata = ImageMetadata()
        metadata.id = object["Id"] as? String ?? ""
        metadata.reference = (object["RepoTags"] as? [String])?.first ?? ""
        metadata.repoDigests = object["RepoDigests"] as? [String] ?? []
        metadata.config = decodeConfig(config)
        if let rootFS = object["RootFS"] as? [String: Any] ?? object["rootfs"] as? [String: Any] {
            metadata.layerDiffIDs = rootFS["Layers"] as? [String] ?? rootFS["diff_ids"] as? [String] ?? []
        }
        return metadata
    }

    /// Reads an image config blob (OCI / docker save `config`, `history` and `rootfs`).
    public static func decodeImageConfigBlob(_ data: [UInt8], source: String) throws(ImageInputError) -> ImageMetadata {
        guard let object = try parseJSON(data, source: source, malformed: "malformed image config JSON") as? [String: Any] else {
            throw ImageInputError(source: source, message: "an image config is a JSON object")
        }
        var metadata = ImageMetadata()
        metadata.config = decodeConfig(object["config"] as? [String: Any] ?? [:])
        for entry in object["history"] as? [[String: Any]] ?? [] {
            metadata.history.append(HistoryEntry(createdBy: entry["created_by"] as? String ?? "", comment: entry["comment"] as? String ?? "",
                                                 emptyLayer: entry["empty_layer"] as? Bool ?? false))
        }
        if let rootFS = object["rootfs"] as? [String: Any] {
            metadata.layerDiffIDs = rootFS["diff_ids"] as? [String] ?? []
        }
        return metadata
    }

    static func decodeConfig(_ config: [String: Any]) -> ImageConfig {
        var result = ImageConfig()
        result.env = config["Env"] as? [String] ?? []
        result.cmd = config["Cmd"] as? [String]
        result.entrypoint = config["Entrypoint"] as? [String]
        result.workingDir = config["WorkingDir"] as? String ?? ""
        result.user = config["User"] as? String ?? ""
        result.exposedPorts = (config["ExposedPorts"] as? [String: Any]).map { Array($0.keys).sorted() } ?? []
        result.volumes = (config["Volumes"] as? [String: Any]).map { Array($0.keys).sorted() } ?? []
        result.labels = config["Labels"] as? [String: String] ?? [:]
        if let check = config["Healthcheck"] as? [String: Any], let test = check["Test"] as? [String] {
            result.healthcheck = ImageConfig.Healthcheck(
                test: test, interval: (check["Interval"] as? NSNumber)?.int64Value ?? 0, timeout: (check["Timeout"] as? NSNumber)?.int64Value ?? 0,
                startPeriod: (check["StartPeriod"] as? NSNumber)?.int64Value ?? 0, retries: (check["Retries"] as? NSNumber)?.intValue ?? 0)
        }
        result.shell = config["Shell"] as? [String]
        result.stopSignal = config["StopSignal"] as? String ?? ""
        result.onBuild = config["OnBuild"] as? [String] ?? []
        return result
    }

    /// Parses JSON; a syntax error becomes `malformed` with the line Foundation points at.
    private static func parseJSON(_ data: [UInt8], source: String, malformed: String) throws(ImageInputError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: Data(data))
        } catch {
            throw ImageInputError(source: source, line: jsonErrorLine(error, in: data), message: malformed)
        }
    }

    /// The line of a JSON syntax error: Foundation says "around character N" (a byte offset); nil when it does not.
    private static func jsonErrorLine(_ error: any Error, in data: [UInt8]) -> Int? {
        guard let description = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String,
              let range = description.range(of: "around character ") else { return nil }
        guard let offset = Int(description[range.upperBound...].prefix { $0.isNumber }) else { return nil }
        return data.prefix(min(offset, data.count)).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }
}
