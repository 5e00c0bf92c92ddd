import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One lint at a time on a serial queue, its result handed back through a lock and a byte on the wake pipe.
package final class BackgroundLints: Sendable {
    private let queue = DispatchQueue(label: "dockerkit.lsp.lint")
    private let state = Mutex<(running: LintJob?, cancelled: Bool, finished: [FinishedLint])>((nil, false, []))
    private let wakeDescriptor: Int32

    /// `wakeDescriptor`: the write end of a pipe the message loop polls; a byte there means a lint finished.
    package init(wakeDescriptor: Int32) {
        self.wakeDescriptor = wakeDescriptor
    }

    package var isBusy: Bool { state.withLock { $0.running != nil } }

    /// Starts `job` (the caller checks `isBusy` first: one lint runs at a time).
    package func start(_ job: LintJob) {
        state.withLock { $0 = (job, false, $0.finished) }
        queue.async { [self] in
            let finished = LanguageServer.run(job) { self.state.withLock { $0.cancelled } }
            state.withLock { $0.running = nil; $0.finished.append(finished) }
            var byte: UInt8 = 1
            _ = write(wakeDescriptor, &byte, 1)
        }
    }

    /// Cancels the running lint unless `stillWanted` says its job is current.
    package func cancelUnless(_ stillWanted: (LintJob) -> Bool) {
        state.withLock { current in
            if let running = current.running, !stillWanted(running) { current.cancelled = true }
        }
    }

    /// Returns once the running lint, if any, has finished.
    package func waitUntilIdle() {
        queue.sync {}
    }

    /// The lints finished since the last call.
    package func takeFinished() -> [FinishedLint] {
        state.withLock { current in
            defer { current.finished.removeAll() }
            return current.finished
        }
    }
}
