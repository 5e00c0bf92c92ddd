import Foundation

/// Runs the engine's command-line client (docker or podman) and turns its failures into clear errors.
public struct EngineClient: Sendable {
    /// The client: a name found on PATH or a path.
    public let executable: String

    /// `--engine` if given, else `DOCKERKIT_ENGINE`, else `docker`.
    public init(engine: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        executable = engine ?? environment["DOCKERKIT_ENGINE"] ?? "docker"
    }

    /// The client's full path, or nil when it cannot be found.
    public func resolvedPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if executable.contains("/") { return FileManager.default.isExecutableFile(atPath: executable) ? executable : nil }
        for directory in (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(executable)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs the client with `arguments`; returns standard output, or an error saying what went wrong.
    public func run(_ arguments: [String], image: String? = nil) throws(ImageInputError) -> [UInt8] {
        guard let path = resolvedPath() else {
            throw ImageInputError(source: executable, message: "the engine client '\(executable)' was not found; install docker or podman, or name it with --engine or DOCKERKIT_ENGINE")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw ImageInputError(source: executable, message: "cannot run \(path): \(error.localizedDescription)")
        }
        // Read both pipes concurrently so a chatty client cannot block on a full pipe.
        let errorData = LockedData()
        let reader = Thread { errorData.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        while !errorData.isSet { usleep(1000) }
        guard process.terminationStatus == 0 else {
            throw Self.explain(String(decoding: errorData.value, as: UTF8.self), executable: executable, image: image)
        }
        return [UInt8](outputData)
    }

    /// Turns a client's error output into a message that says what to do.
    static func explain(_ stderr: String, executable: String, image: String?) -> ImageInputError {
        let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        let host = ProcessInfo.processInfo.environment["DOCKER_HOST"] ?? "unix:///var/run/docker.sock"
        if text.contains("permission denied") && text.contains("sock") {
            return ImageInputError(source: executable, message: "permission denied on the engine socket (\(host)); run as a user in the docker group, or set DOCKER_HOST")
        }
        if text.contains("Cannot connect to the Docker daemon") || text.contains("Is the docker daemon running") || text.contains("connection refused") {
            return ImageInputError(source: executable, message: "the engine is not reachable at \(host); start it (scripts/engine.sh up) or set DOCKER_HOST")
        }
        if let image, text.lowercased().contains("no such image") || text.contains("image not known") || text.contains("No such object") {
            return ImageInputError(source: executable, message: "image \(image) not found in the engine's local images")
        }
        return ImageInputError(source: executable, message: text.isEmpty ? "the engine client failed" : text)
    }
}

/// Bytes handed from the reader thread, with a flag saying they are complete.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private var done = false

    func set(_ value: Data) {
        lock.lock()
        data = value
        done = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return done
    }

    var value: Data {
        lock.lock()
        defer { lock.unlock() }
        return data
    }
}

extension EngineClient {
    /// Reads an image's history and config from the engine.
    public func imageMetadata(_ reference: String) throws(ImageInputError) -> ImageMetadata {
        let inspect = try run(["image", "inspect", reference], image: reference)
        var metadata = try ImageMetadataDecoder.decodeInspect(inspect, source: "\(executable) image inspect \(reference)")
        let history = try run(["history", "--no-trunc", "--format", "{{json .}}", reference], image: reference)
        metadata.history = try ImageMetadataDecoder.decodeHistoryLines(history, source: "\(executable) history \(reference)")
        if metadata.reference.isEmpty { metadata.reference = reference }
        return metadata
    }
}
