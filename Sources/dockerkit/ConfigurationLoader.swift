import DockerfileSyntax
import Formatting
import FoundationEssentials
import Lint
import Support

/// Finds and reads `.hadolint.yaml`/`.hadolint.yml` and `.dockerkit.yaml`/`.dockerkit.yml`.
enum ConfigurationLoader {
    static let fileNames = [".hadolint.yaml", ".hadolint.yml", ".dockerkit.yaml", ".dockerkit.yml"]

    /// hadolint's global config files, in its order, for when no project file is found.
    static func globalFiles(environment: [String: String]) -> [String] {
        let home = environment["HOME"] ?? ""
        var files: [String] = []
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { files.append(FilePath.appending("hadolint.yaml", to: xdg)) }
        if !home.isEmpty {
            files += [".config/hadolint.yaml", ".hadolint/hadolint.yaml", "hadolint/config.yaml", ".hadolint.yaml"].map { FilePath.appending($0, to: home) }
        }
        return files
    }

    /// The project's config files, else the first global one: hadolint reads `./.hadolint.yaml` (no parents, no
    /// `.dockerkit.yaml`) when `forHadolint`.
    static func discover(forHadolint: Bool, environment: [String: String]) -> [String] {
        let local = forHadolint
            ? [".hadolint.yaml", ".hadolint.yml"].filter { FileManager.default.fileExists(atPath: $0) }
            : discover()
        if !local.isEmpty { return Array(local.prefix(forHadolint ? 1 : local.count)) }
        return globalFiles(environment: environment).first { FileManager.default.fileExists(atPath: $0) }.map { [$0] } ?? []
    }

    /// The config files in the working directory or, failing that, the nearest parent up to the one holding `.git`.
    static func discover(from directory: String = FileManager.default.currentDirectoryPath) -> [String] {
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        while true {
            let found = fileNames.map { current.appendingPathComponent($0).path }.filter { FileManager.default.fileExists(atPath: $0) }
            if !found.isEmpty { return found }
            if FileManager.default.fileExists(atPath: current.appendingPathComponent(".git").path) { return [] }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return [] }
            current = parent
        }
    }

    /// Reads the files into the lint settings (their `fmt` settings are checked, and left for `fmt`).
    static func load(_ paths: [String], into configuration: inout LintConfiguration) throws(CommandFailure) {
        var format = FormatOptions()
        try load(paths, into: &configuration, format: &format)
    }

    /// Reads the files into the lint settings and the formatter's settings.
    static func load(_ paths: [String], into configuration: inout LintConfiguration, format: inout FormatOptions) throws(CommandFailure) {
        for path in paths {
            // A config file is held to the limit of a Dockerfile: an endless or huge file is an error, not a hang.
            let data: [UInt8]
            do {
                data = try readInput(path, limit: defaultInputLimit)
            } catch {
                throw CommandFailure(message: error.message.escapingControlCharacters(keepingTabs: true))
            }
            do {
                let document = try YAMLReader.read(String(decoding: data, as: UTF8.self), path: path)
                try configuration.apply(document, path: path)
                try format.apply(document, path: path)
            } catch {
                throw CommandFailure(message: error.formatted.escapingControlCharacters(keepingTabs: true))
            }
            if let baselinePath = configuration.baselinePath, configuration.baseline?.root != FilePath.parent(FilePath.resolved(baselinePath, from: FileManager.default.currentDirectoryPath)) {
                do {
                    configuration.baseline = try Baseline.load(FilePath.resolved(baselinePath, from: FileManager.default.currentDirectoryPath))
                } catch {
                    throw CommandFailure(message: "\(path): error: baseline: \(error.description.escapingControlCharacters(keepingTabs: true))")
                }
            }
        }
    }
}

/// A failure that ends a command with exit status 2 and a message already formatted.
struct CommandFailure: Error {
    var message: String
}
