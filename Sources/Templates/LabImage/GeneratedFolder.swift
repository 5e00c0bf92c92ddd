import FoundationEssentials
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a templates folder or an output folder could not be used; the message is for the user.
public struct TemplateFolderError: Error, Sendable, Equatable {
    public let message: String
}

extension InMemoryTemplates {
    /// The built-in templates with the `.tmpl` files of `directory` in place of theirs, so a user can override one
    /// file; a folder with no template at all is a mistake (a wrong path), not a request for the built-in ones.
    public static func overlaying(_ directory: String) throws(TemplateFolderError) -> InMemoryTemplates {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw TemplateFolderError(message: "cannot read the templates folder \(directory)")
        }
        guard names.contains(where: { BuiltinTemplates.templates[$0] != nil }) else {
            throw TemplateFolderError(message: "\(directory) holds no template (expected files such as \(BuiltinTemplates.templates.keys.sorted().prefix(3).joined(separator: ", ")))")
        }
        var templates = BuiltinTemplates.templates
        for name in names where name.hasSuffix(".tmpl") {
            guard let data = FileManager.default.contents(atPath: FilePath.appending(name, to: directory)) else {
                throw TemplateFolderError(message: "cannot read \(FilePath.appending(name, to: directory))")
            }
            templates[name] = String(decoding: data, as: UTF8.self)
        }
        return InMemoryTemplates(templates: templates)
    }
}

extension GeneratedFile {
    /// Writes `files` into `directory` (made when missing), each whole or not at all; without `overwrite`, nothing is
    /// written when any of them exists.
    public static func write(_ files: [GeneratedFile], to directory: String, overwrite: Bool) throws(TemplateFolderError) {
        let manager = FileManager.default
        var status = stat()
        if stat(directory, &status) == 0 {
            guard (status.st_mode & S_IFMT) == S_IFDIR else { throw TemplateFolderError(message: "\(directory) exists and is not a folder") }
        } else {
            do {
                try manager.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw TemplateFolderError(message: "cannot create \(directory)")
            }
        }
        let existing = files.map { FilePath.appending($0.name, to: directory) }.filter { manager.fileExists(atPath: $0) }
        if !existing.isEmpty && !overwrite {
            throw TemplateFolderError(message: "would overwrite \(existing.joined(separator: ", ")); nothing was written (use --force to replace them)")
        }
        for file in files {
            do {
                try SafeFileWriter.create(Array(file.contents.utf8), at: FilePath.appending(file.name, to: directory), mode: file.isExecutable ? 0o755 : 0o644)
            } catch {
                throw TemplateFolderError(message: error.message)
            }
        }
    }
}

/// A file an admin gives the image (a requirements file, a conda environment), read as text.
public enum LabImageInputFile {
    /// Larger than any requirements list people write; a limit keeps a wrong path (a disk image) from being read whole.
    public static let sizeLimit = 1 << 20

    /// The file's text: a readable regular file (links followed) of at most `sizeLimit` bytes of UTF-8 without NUL bytes.
    public static func read(_ path: String, what: String) throws(TemplateFolderError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw TemplateFolderError(message: "cannot read the \(what) \(path) (\(String(cString: strerror(errno))))") }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw TemplateFolderError(message: "the \(what) \(path) is not a regular file")
        }
        guard let bytes = readAll(from: descriptor, limit: sizeLimit) else {
            throw TemplateFolderError(message: "the \(what) \(path) is larger than \(sizeLimit >> 20) MiB")
        }
        guard let text = text(bytes) else {
            throw TemplateFolderError(message: "the \(what) \(path) is not UTF-8 text")
        }
        return text
    }

    /// The bytes as text when they are such a file's: at most `sizeLimit` bytes of UTF-8 without NUL bytes.
    public static func text(_ bytes: [UInt8]) -> String? {
        guard bytes.count <= sizeLimit, !bytes.contains(0) else { return nil }
        return String(validating: bytes, as: UTF8.self)
    }
}
