import Dispatch
import DockerfileSyntax
import Support
import Synchronization

/// Linting as the command line and the editor do it: each Dockerfile with its build context's `.dockerignore`,
/// many files on all cores, results in the order the files were given.
public enum LintSession {
    /// The configuration for one Dockerfile: BuildKit reads `FILE.dockerignore`, else the context's `.dockerignore`
    /// (the Dockerfile's folder is taken as the context).
    public static func configuration(_ configuration: LintConfiguration, forDockerfileAt path: String) -> LintConfiguration {
        var ignores = FolderIgnores()
        return self.configuration(configuration, forDockerfileAt: path, ignores: &ignores)
    }

    /// The configuration for each Dockerfile, each folder's `.dockerignore` read once however many files it holds.
    public static func configurations(_ configuration: LintConfiguration, forDockerfilesAt paths: [String]) -> [LintConfiguration] {
        var ignores = FolderIgnores()
        return paths.map { self.configuration(configuration, forDockerfileAt: $0, ignores: &ignores) }
    }

    /// Lints `sources` (the files at `paths`) on all cores; results in the order given.
    public static func lint(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter) -> [LintResult] {
        if paths.count == 1 {
            let file = LintedFile(path: paths[0], tree: DockerfileParser.parse(sources[0]), configuration: self.configuration(configuration, forDockerfileAt: paths[0]))
            // Never freed: the process ends after the report, and releasing a large tree object by object would cost
            // time and leave the heap fragmented for the report that follows.
            _ = Unmanaged.passRetained(LintedFileHolder(file))
            return [linter.lint(file)]
        }
        let configurations = configurations(configuration, forDockerfilesAt: paths)
        let box = ResultBox(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            box.set(index, linter.lint(source: sources[index], path: paths[index], configuration: configurations[index]))
        }
        return box.results.compactMap { $0 }
    }

    private static func configuration(_ configuration: LintConfiguration, forDockerfileAt path: String, ignores: inout FolderIgnores) -> LintConfiguration {
        guard path != "-" else { return configuration }
        var result = configuration
        if let text = readText(path + ".dockerignore") {
            result.dockerIgnore = text
        } else {
            let folder = FilePath.parent(path)
            if let text = ignores.text(in: folder.isEmpty ? "." : folder) { result.dockerIgnore = text }
        }
        return result
    }

    /// A `.dockerignore`'s text, when it is a regular file of at most 16 MiB.
    static func readText(_ path: String) -> String? {
        guard case .contents(let bytes)? = try? readStoredFile(path, limit: 16 << 20) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `.dockerignore` texts by folder, read on first use.
private struct FolderIgnores {
    private var texts: [String: String?] = [:]

    mutating func text(in folder: String) -> String? {
        if let known = texts[folder] { return known }
        let text = LintSession.readText(folder + "/.dockerignore")
        texts[folder] = text
        return text
    }
}

/// Holds a linted file that is meant to live until the process exits.
private final class LintedFileHolder: Sendable {
    let file: LintedFile
    init(_ file: LintedFile) { self.file = file }
}

/// Results filled in from several threads, one slot each.
private final class ResultBox: Sendable {
    private let slots: Mutex<[LintResult?]>

    init(count: Int) { slots = Mutex(Array(repeating: nil, count: count)) }

    func set(_ index: Int, _ result: LintResult) {
        slots.withLock { $0[index] = result }
    }

    var results: [LintResult?] { slots.withLock { $0 } }
}

/// What `--fix` did to one file.
public struct FixedFile: Sendable {
    public let path: String
    public let original: [UInt8]
    /// The fixed text, when any fix applied.
    public let fixed: [UInt8]?
    public let appliedCount: Int
    /// Why the fixed text could not be written, when writing was asked for and failed.
    public let writeError: String?
    /// The findings left in the text now on disk (or in the fixed text when only a diff was asked for).
    public let remaining: LintResult
}

extension LintSession {
    /// Applies the fixes to each file (the unsafe ones too with `includingUnsafe`) and, with `write`, replaces the
    /// file only if it still holds `original`. Every file is tried; standard input (`-`) is never written.
    public static func fix(paths: [String], sources: [[UInt8]], configuration: LintConfiguration, linter: Linter,
                           includingUnsafe: Bool, write: Bool) -> [FixedFile] {
        let configurations = configurations(configuration, forDockerfilesAt: paths)
        return paths.indices.map { index in
            let (path, source, configuration) = (paths[index], sources[index], configurations[index])
            guard let (fixed, applied) = Fixer.fix(source: source, path: path, configuration: configuration, linter: linter, includingUnsafe: includingUnsafe) else {
                return FixedFile(path: path, original: source, fixed: nil, appliedCount: 0, writeError: nil,
                                 remaining: linter.lint(source: source, path: path, configuration: configuration))
            }
            var writeError: String?
            if write && path != "-" {
                do throws(FileWriteError) {
                    try SafeFileWriter.write(fixed, to: path, expecting: source)
                } catch {
                    writeError = error.message
                }
            }
            return FixedFile(path: path, original: source, fixed: fixed, appliedCount: applied, writeError: writeError,
                             remaining: linter.lint(source: writeError == nil ? fixed : source, path: path, configuration: configuration))
        }
    }
}
