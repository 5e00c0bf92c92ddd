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
        return serve(server)
    }

    /// The message loop: replies go out as soon as their message is read, while the lint of the last change runs on
    /// another thread; an edit to the document being linted cancels that lint, and the next one starts once no
    /// further message is waiting (a burst of edits costs about one lint).
    private static func serve(_ server: LanguageServer) -> Int32 {
        var reader = MessageReader()
        var buffer = [UInt8](repeating: 0, count: 65536)
        var wake: [Int32] = [0, 0]
        guard pipe(&wake) == 0 else { return 1 }
        let worker = BackgroundLints(wakeDescriptor: wake[1])
        var queued: [LintJob] = []
        func send(_ text: String) { _ = framed(text).withUnsafeBufferPointer { writeAll($0, to: 1) } }
        while true {
            var descriptors = [pollfd(fd: 0, events: Int16(POLLIN), revents: 0), pollfd(fd: wake[0], events: Int16(POLLIN), revents: 0)]
            if poll(&descriptors, 2, -1) < 0 {
                if errno == EINTR { continue }
                return 1
            }
            if descriptors[1].revents != 0 {
                var drained = [UInt8](repeating: 0, count: 64)
                _ = read(wake[0], &drained, drained.count)
                for finished in worker.takeFinished() {
                    if let notification = server.publish(finished) { send(notification) }
                }
                server.dropReplacedResults()
            }
            if descriptors[0].revents != 0 {
                let count = read(0, &buffer, buffer.count)
                if count < 0 && (errno == EINTR || errno == EAGAIN) { continue }
                guard count > 0 else {
                    // The input ended (a script, a test): what was asked for is still answered before the end.
                    worker.waitUntilIdle()
                    for finished in worker.takeFinished() { if let notification = server.publish(finished) { send(notification) } }
                    for job in queued where server.revision(of: job.uri) == job.revision {
                        if let notification = server.publish(LanguageServer.run(job)) { send(notification) }
                    }
                    for notification in server.publishPendingDiagnostics() { send(notification) }
                    return server.exitStatus ?? 1
                }
                reader.append(buffer[0..<count])
                while let message = reader.next() {
                    for reply in server.handle(message) where !reply.isEmpty { send(reply) }
                    if let status = server.exitStatus { return status }
                }
                // An edit to the document being linted makes that lint stale: it stops at its next rule.
                worker.cancelUnless { server.revision(of: $0.uri) == $0.revision }
            }
            guard !inputIsWaiting() else { continue }
            let (jobs, notices) = server.pendingLints()
            for notice in notices { send(notice) }
            queued = queued.filter { job in server.revision(of: job.uri) == job.revision && !jobs.contains { $0.uri == job.uri } } + jobs
            if !worker.isBusy, !queued.isEmpty { worker.start(queued.removeFirst()) }
        }
    }

    /// Whether more input is waiting now.
    private static func inputIsWaiting() -> Bool {
        var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) == 1 && descriptor.revents & Int16(POLLIN) != 0
    }
}
