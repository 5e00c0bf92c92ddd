import Lint
import Synchronization

/// A document's memo between lints, shared by its jobs. A lint takes it out, so that it holds the memo alone and
/// changes it in place, and puts back the one it leaves; a lint that finds it taken (another of the same document
/// runs) lints the whole file.
package final class MemoSlot: Sendable {
    private let memo = Mutex<LintMemo?>(nil)

    package init() {}

    package func take() -> LintMemo? {
        memo.withLock { held in
            defer { held = nil }
            return held
        }
    }

    package func put(_ new: consuming LintMemo?) {
        memo.withLock { $0 = new }
    }
}
