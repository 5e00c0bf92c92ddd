import DockerfileSyntax
import FoundationEssentials
import Lint

/// Finds and reads `.hadolint.yaml`/`.hadolint.yml` and `.dockerkit.yaml`/`.dockerkit.yml`.
enum ConfigurationLoader {
    static let fileNames = [".hadolint.yaml", ".hadolint.yml", ".dockerkit.yaml", ".dockerkit.yml"]

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
            guard let data = FileManager.default.contents(atPath: path) else {
                throw CommandFailure(message: "\(path): cannot be read")
            }
            do {
                let document = try YAMLReader.read(String(decoding: data, as: UTF8.self), path: path)
                try configuration.apply(document, path: path)
                try format.apply(document, path: path)
            } catch {
                throw CommandFailure(message: error.formatted)
            }
        }
    }
}

/// A failure that ends a command with exit status 2 and a message already formatted.
struct CommandFailure: Error {
    var message: String
}
