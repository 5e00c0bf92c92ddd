import DockerfileSyntax
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
        let server = LanguageServer { path in
            var configuration = LintConfiguration()
            var format = FormatOptions()
            let directory = path.map(FilePath.parent) ?? FileManager.default.currentDirectoryPath
            // A config file that does not read leaves the defaults: an editor session is no place to stop.
            try? ConfigurationLoader.load(ConfigurationLoader.discover(from: directory.isEmpty ? "." : directory), into: &configuration, format: &format)
            return (configuration, format)
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
