import DockerfileSyntax
import Formatting
import FoundationEssentials
import LanguageServer
import Lint
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `dockerkit lsp`: the language server on standard input and output.
enum LanguageServerCommand {
    static let usage = """
        usage: dockerkit lsp   (the Language Server Protocol over standard input and output, for editors)
        Diagnostics from every rule (the project's .hadolint.yaml/.dockerkit.yaml apply), quick fixes and ignore
        pragmas as code actions, formatting (= dockerkit fmt), hover and completion. See the README for editor set-up.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        guard arguments.isEmpty || arguments == ["--stdio"] else {
            throw CommandFailure(message: "dockerkit lsp: error: unexpected argument \(arguments[0])\n\(usage)")
        }
        // Settings by document, read again only when a config file or `.dockerignore` it depends on changes (every
        // edit asks for them, so an unchanged file costs a few stats and no reads).
        var cache: [String: (stamps: [String], settings: (LintConfiguration, FormatOptions))] = [:]
        func stamp(_ file: String) -> String {
            var information = stat()
            return stat(file, &information) == 0 ? "\(file) \(information.st_mtim.tv_sec).\(information.st_mtim.tv_nsec) \(information.st_size)" : file
        }
        let server = LanguageServer { path in
            let directory = path.map(FilePath.parent).flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.currentDirectoryPath
            let files = ConfigurationLoader.discover(from: directory)
            // BuildKit's order: `FILE.dockerignore`, else the context's `.dockerignore` (CopyIgnoredFile needs it).
            let ignoreFiles = path.map { [$0 + ".dockerignore", FilePath.appending(".dockerignore", to: directory)] } ?? []
            let stamps = (files + ignoreFiles).map(stamp)
            let key = path ?? directory
            if let cached = cache[key], cached.stamps == stamps { return cached.settings }
            var configuration = LintConfiguration()
            var format = FormatOptions()
            // A config file that does not read leaves the defaults: an editor session is no place to stop.
            try? ConfigurationLoader.load(files, into: &configuration, format: &format)
            let settings = (path.map { LintSession.configuration(configuration, forDockerfileAt: $0) } ?? configuration, format)
            cache[key] = (stamps, settings)
            return settings
        }
        var reader = MessageReader()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(0, &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return server.exitStatus ?? 1 }
            reader.append(buffer[0..<count])
            while let message = reader.next() {
                for reply in server.handle(message) where !reply.isEmpty {
                    _ = framed(reply).withUnsafeBufferPointer { writeAll($0, to: 1) }
                }
                if let status = server.exitStatus { return status }
            }
            // Nothing more is waiting: diagnostics for what the messages just read changed.
            for notification in server.publishPendingDiagnostics() {
                _ = framed(notification).withUnsafeBufferPointer { writeAll($0, to: 1) }
            }
        }
    }
}
