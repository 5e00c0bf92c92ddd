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
    /// The engine's API, where its Unix socket is reachable and no client was named with `--engine`: reads that
    /// must be exact (image history) go through it.
    package let api: EngineAPI?

    /// `--engine` if given, else `DOCKERKIT_ENGINE`, else `docker`.
    package init(engine: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        executable = engine ?? environment["DOCKERKIT_ENGINE"] ?? "docker"
        api = engine == nil ? EngineAPI.reachable(environment: environment) : nil
    }

    /// A client already chosen (by ``EngineBuilder``); `named`: the user named it, so reads go through it too.
    init(executable: String, named: Bool, environment: [String: String]) {
        self.executable = executable
        api = named ? nil : EngineAPI.reachable(environment: environment)
    }

    /// The client's full path, or nil when it cannot be found.
    package func resolvedPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        FilePath.executable(executable, environment: environment)
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
