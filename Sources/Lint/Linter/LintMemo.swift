import DockerfileSyntax
import Support

/// What linting one version of a document leaves for linting the next: for each instruction, the findings of the
/// instruction-scoped rules (``RuleScope/instruction``) in it and the RUN scripts read from it. An edit changes a few
/// instructions; the next lint runs the instruction rules on those only, takes the rest from here, and reads no
/// unchanged script again. It holds one version's instructions, so it never outgrows the document.
public struct LintMemo: Sendable {
    let configuration: LintConfiguration
    let escapeToken: UInt8
    /// The version it was made from: an instruction of the next version is the same instruction when its bytes lie in
    /// the part before or after the edit that both versions share.
    let source: [UInt8]
    /// Each instruction's bytes, from the start of its first line, in file order.
    let spans: [Range<Int>]
    let entries: [Entry]
    /// How many of its instructions were taken from the memo before it rather than linted.
    public let reusedInstructionCount: Int

    struct Entry: Sendable {
        /// The instruction-scoped findings, placed as if the instruction's first line were line 1 at offset 0.
        let findings: [Finding]
        /// Its RUN scripts, read.
        let scripts: [RunScript]
    }

    /// How many instructions it holds findings for.
    public var instructionCount: Int { entries.count }

    /// What the memo knows of each of `spans` (instructions of `source`, in file order): the index in `entries` of the
    /// instruction with the same bytes at the same place in the shared part before the edit, or moved with the part
    /// after it; -1 for none. Indices rather than entries: a large document's entries are not all retained again.
    func entryIndices(for spans: [Range<Int>], in source: [UInt8]) -> [Int32] {
        let (prefix, suffix) = ByteSearch.sharedEnds(self.source, source)
        let delta = source.count - self.source.count
        var next = 0
        return spans.map { span in
            let old: Range<Int>
            if span.upperBound <= prefix {
                old = span
            } else if span.lowerBound >= source.count - suffix {
                old = (span.lowerBound - delta)..<(span.upperBound - delta)
            } else {
                return -1
            }
            // Spans only grow, old and new alike, so the search goes on from where the last one matched.
            while next < self.spans.count, self.spans[next].lowerBound < old.lowerBound { next += 1 }
            guard next < self.spans.count, self.spans[next] == old else { return -1 }
            return Int32(next)
        }
    }
}

extension Linter {
    /// Lints a parsed document as ``lint(_:stoppingWhen:)`` does, reusing `memo` from an earlier version of it;
    /// returns the result, the same as a full lint's, and the memo for the next version (nil when the lint was
    /// cancelled or a finding could not be placed in one instruction: the next lint is then a full one).
    public func lint(
        _ tree: DockerfileSyntaxTree, path: String, configuration: LintConfiguration, reusing memo: LintMemo?,
        stoppingWhen isCancelled: () -> Bool = { false }
    ) -> (result: LintResult, memo: LintMemo?) {
        let usable = memo.flatMap { $0.configuration == configuration && $0.escapeToken == tree.escapeToken ? $0 : nil }
        let instructions = tree.instructions
        // Each instruction's bytes from the start of its first line, and that line, read in one pass: on a large
        // document each instruction read is a cache miss.
        var spans: [Range<Int>] = []
        var firstLines: [Int32] = []
        spans.reserveCapacity(instructions.count)
        firstLines.reserveCapacity(instructions.count)
        for instruction in instructions {
            let range = instruction.range
            spans.append((range.start.offset - (range.start.column - 1))..<range.end.offset)
            firstLines.append(Int32(clamping: range.start.line))
        }
        let known = usable?.entryIndices(for: spans, in: tree.source) ?? [Int32](repeating: -1, count: instructions.count)
        let reusable = usable?.entries ?? []
        let changed = instructions.indices.filter { known[$0] < 0 }
        let file = LintedFile(path: path, tree: tree, instructions: instructions, configuration: configuration) { index in
            index < known.count && known[index] >= 0 ? reusable[Int(known[index])].scripts : nil
        }
        let enabled = enabledRules(configuration)
        var found = findings(
            of: enabled.filter { scopes[$0] == .file }, in: file, inParallel: instructions.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        let focus = changed.count == instructions.count ? file : file.focused(on: changed)
        let fresh = findings(
            of: enabled.filter { scopes[$0] == .instruction }, in: focus, inParallel: changed.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        let parseErrors = Self.parseErrorFindings(of: tree)
        if isCancelled() { return (finish(found + fresh, parseErrors: parseErrors, of: file), nil) }

        // Place each new finding in its instruction, relative to the instruction's first line.
        var placed = [[Finding]](repeating: [], count: instructions.count)
        var isComplete = true
        for finding in fresh {
            guard let index = Self.instruction(holding: finding, spans: spans), known[index] < 0 else {
                isComplete = false
                continue
            }
            placed[index].append(finding.moved(by: -spans[index].lowerBound, lines: -(Int(firstLines[index]) - 1)))
        }
        found += fresh
        // Room for the reused findings and the parse errors at once: a large document has many, and growing the
        // array step by step copies them again at every step.
        found.reserveCapacity(found.count + parseErrors.count + known.reduce(0) { $0 + ($1 >= 0 ? reusable[Int($1)].findings.count : 0) })
        var entries: [LintMemo.Entry] = []
        entries.reserveCapacity(instructions.count)
        for index in instructions.indices {
            if known[index] >= 0 {
                let reused = reusable[Int(known[index])]
                entries.append(reused)
                let lines = Int(firstLines[index]) - 1
                for finding in reused.findings { found.append(finding.moved(by: spans[index].lowerBound, lines: lines)) }
            } else {
                entries.append(LintMemo.Entry(findings: placed[index], scripts: file.runScripts[index]))
            }
        }
        let next = isComplete
            ? LintMemo(configuration: configuration, escapeToken: tree.escapeToken, source: tree.source, spans: spans, entries: entries,
                       reusedInstructionCount: instructions.count - changed.count)
            : nil
        return (finish(consume found, parseErrors: parseErrors, of: file), next)
    }

    /// The instruction whose lines hold all of a finding (its range and its fix's edits), if one does.
    private static func instruction(holding finding: Finding, spans: [Range<Int>]) -> Int? {
        let offset = finding.range.start.offset
        var low = 0
        var high = spans.count
        while low < high {
            let middle = (low + high) / 2
            if spans[middle].lowerBound <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let index = low - 1
        let span = spans[index].lowerBound...spans[index].upperBound
        let edits = finding.fix?.edits ?? []
        guard span.contains(finding.range.end.offset),
              edits.allSatisfy({ span.contains($0.offsets.lowerBound) && span.contains($0.offsets.upperBound) }) else { return nil }
        return index
    }
}

extension Finding {
    /// The same finding `offset` bytes and `lines` lines further on (columns stay: whole lines move).
    func moved(by offset: Int, lines: Int) -> Finding {
        Finding(code: code, severity: severity, message: message, range: range.moved(by: offset, lines: lines), fix: fix?.moved(by: offset))
    }
}
