import DockerfileSyntax
import Support

/// What linting one version of a document leaves for linting the next: the file the rules read and, for each
/// instruction, the findings of the instruction-scoped rules (``RuleScope/instruction``) in it. An edit replaces a
/// few instructions; the next lint reads and checks those only, replaces their parts of the file in place, and takes
/// the rest from here. It holds one version's instructions, so it never outgrows the document.
///
/// Pass it on with `consume`, as the editor does: a memo held once is changed in place, where a shared one is
/// copied first (the same result, at the cost of a copy of every part).
public struct LintMemo: Sendable {
    let configuration: LintConfiguration
    let escapeToken: UInt8
    /// The version it was made from: an instruction of the next version is the same instruction when its bytes lie in
    /// the part before or after the edit that both versions share.
    var source: [UInt8]
    /// Each instruction's bytes, from the start of its first line, in file order, and that first line.
    var spans: [Range<Int>]
    var firstLines: [Int32]
    /// The file the rules read for this version.
    var file: LintedFile
    /// The instruction-scoped findings, each placed as if its instruction's first line were line 1 at offset 0: those
    /// of instruction `i` are `findings[findingStarts[i]..<findingStarts[i + 1]]`. One array rather than one each: a
    /// large document's arrays would be a cache miss each to visit.
    var findings: [Finding]
    var findingStarts: [Int32]
    /// BuildKit's refusals of instructions (``DockerfileSyntaxTree/instructionErrors()``) as findings, placed as
    /// `findings` are, with their instructions' indices, in file order.
    var refusals: [(instruction: Int, finding: Finding)]
    /// Instructions not checked yet (their lint was stopped): the next lint checks them whatever the edit.
    var unchecked: Range<Int>
    /// How many of its instructions were taken from the memo before it rather than linted.
    public internal(set) var reusedInstructionCount: Int

    /// How many instructions it holds findings for.
    public var instructionCount: Int { spans.count }

    /// The instructions an edit replaced: those in `old` (this memo's) became those in `new` (of the edited version,
    /// `source`, whose instructions are `instructions`). The instructions before them are this memo's at the same
    /// place; those after them are this memo's moved with the bytes after the edit. Nil when no instruction is where
    /// it should be on either side of the edit.
    func replacedRegion(in source: [UInt8], instructions: [Instruction]) -> (old: Range<Int>, new: Range<Int>)? {
        let (prefix, suffix) = ByteSearch.sharedEnds(self.source, source)
        let delta = source.count - self.source.count
        let shift = instructions.count - spans.count
        // Before: ends before the last shared byte of the start (an instruction at the very end of the file may go on
        // with what is appended). After: starts in the shared end.
        var before = firstSpan { $0.upperBound >= prefix }
        var after = firstSpan { $0.lowerBound >= self.source.count - suffix }
        if !unchecked.isEmpty {
            before = min(before, unchecked.lowerBound)
            after = max(after, unchecked.upperBound)
        }
        // The parser reads from where the previous version's instructions are again, so the first instruction kept
        // on either side is checked where the edit meets it, and the region grows until one is where it should be.
        while before > 0, before <= instructions.count, Self.span(of: instructions[before - 1]) != spans[before - 1] { before -= 1 }
        while after < spans.count {
            let index = after + shift
            if index >= before, index < instructions.count, Self.span(of: instructions[index]) == spans[after].shifted(by: delta) { break }
            after += 1
        }
        guard before <= after, before <= after + shift, after + shift <= instructions.count else { return nil }
        return (before..<after, before..<(after + shift))
    }

    /// The index of the first span that passes `isPast` (spans only grow, so those past it pass too).
    private func firstSpan(_ isPast: (Range<Int>) -> Bool) -> Int {
        spans.partitioningIndex(where: isPast)
    }

    /// An instruction's bytes from the start of its first line.
    static func span(of instruction: Instruction) -> Range<Int> {
        let range = instruction.range
        return (range.start.offset - (range.start.column - 1))..<range.end.offset
    }
}

extension Range<Int> {
    func shifted(by delta: Int) -> Range<Int> { (lowerBound + delta)..<(upperBound + delta) }
}

extension Linter {
    /// Lints a parsed document as ``lint(_:stoppingWhen:)`` does, reusing `memo` from an earlier version of it;
    /// returns the result, the same as a full lint's, and the memo for the next version. A lint cancelled after it
    /// began to change the memo gives one that checks the edited instructions next time; nil when a finding could
    /// not be placed in one instruction (the next lint is then a full one).
    public func lint(
        _ tree: DockerfileSyntaxTree, path: String, configuration: LintConfiguration, reusing previous: consuming LintMemo?,
        stoppingWhen isCancelled: () -> Bool = { false }
    ) -> (result: LintResult, memo: LintMemo?) {
        let instructions = tree.instructions
        guard var memo = consume previous, memo.configuration == configuration, memo.escapeToken == tree.escapeToken,
              let (old, new) = memo.replacedRegion(in: tree.source, instructions: instructions)
        else { return lintWhole(tree, instructions: instructions, path: path, configuration: configuration, stoppingWhen: isCancelled) }

        memo.file.replaceInstructions(old, with: new, of: tree, instructions: instructions)
        let file = memo.file
        let enabled = enabledRules(configuration)
        var found = findings(
            of: enabled.filter { scopes[$0] == .file }, in: file, inParallel: instructions.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        let fresh = findings(
            of: enabled.filter { scopes[$0] == .instruction }, in: file.focused(on: new), inParallel: new.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)

        // The memo's places move: those after the edit by its change in bytes and lines.
        let newSpans = instructions[new].map(LintMemo.span(of:))
        let newFirstLines = instructions[new].map { Int32(clamping: $0.range.start.line) }
        let delta = tree.source.count - memo.source.count
        let lineShift = new.upperBound < instructions.count
            ? instructions[new.upperBound].range.start.line - Int(memo.firstLines[old.upperBound]) : 0
        memo.spans.replaceSubrange(old, with: newSpans)
        memo.firstLines.replaceSubrange(old, with: newFirstLines)
        if delta != 0 || lineShift != 0 {
            for index in new.upperBound..<memo.spans.count {
                memo.spans[index] = memo.spans[index].shifted(by: delta)
                memo.firstLines[index] += Int32(clamping: lineShift)
            }
        }
        // The refusals of the instructions before and after the edit move with them; the new ones' are read.
        let refusalsAfter = memo.refusals.partitioningIndex { $0.instruction >= old.upperBound }
        let refusalsFrom = memo.refusals[..<refusalsAfter].partitioningIndex { $0.instruction >= old.lowerBound }
        for index in refusalsAfter..<memo.refusals.count { memo.refusals[index].instruction += new.count - old.count }
        memo.refusals.replaceSubrange(refusalsFrom..<refusalsAfter, with: tree.instructionErrors(of: instructions, at: new).map { refusal in
            let span = memo.spans[refusal.index]
            return (refusal.index, Self.parseErrorFinding(refusal.error).moved(by: -span.lowerBound, lines: -(Int(memo.firstLines[refusal.index]) - 1)))
        })
        let parseErrors = tree.errors.map(Self.parseErrorFinding) + memo.refusals.map { refusal in
            refusal.finding.moved(by: memo.spans[refusal.instruction].lowerBound, lines: Int(memo.firstLines[refusal.instruction]) - 1)
        }
        let cancelled = isCancelled()
        // The new instructions' findings, each relative to its instruction (none for a cancelled lint's).
        var placed = [[Finding]](repeating: [], count: cancelled ? 0 : new.count)
        var isComplete = true
        for finding in cancelled ? [] : fresh {
            guard let index = Self.instruction(holding: finding, spans: memo.spans), new.contains(index) else {
                isComplete = false
                continue
            }
            let offset = memo.spans[index].lowerBound
            placed[index - new.lowerBound].append(finding.moved(by: -offset, lines: -(Int(memo.firstLines[index]) - 1)))
        }
        var placedStarts: [Int32] = []
        var placedCount = 0
        for findings in placed {
            placedStarts.append(Int32(placedCount))
            placedCount += findings.count
        }
        if cancelled { placedStarts = [Int32](repeating: 0, count: new.count) }
        let oldFindings = Int(memo.findingStarts[old.lowerBound])..<Int(memo.findingStarts[old.upperBound])
        memo.findings.replaceSubrange(oldFindings, with: placed.joined())
        let findingShift = placedCount - oldFindings.count
        let startsAfter = new.isEmpty ? [] : placedStarts.dropFirst().map { $0 + Int32(oldFindings.lowerBound) } + [Int32(oldFindings.lowerBound + placedCount)]
        memo.findingStarts.replaceSubrange((old.lowerBound + 1)..<(old.upperBound + 1), with: startsAfter)
        if findingShift != 0 {
            for index in (new.upperBound + 1)..<memo.findingStarts.count { memo.findingStarts[index] += Int32(findingShift) }
        }
        memo.unchecked = cancelled ? new : 0..<0

        found += fresh
        // Room for the kept findings and the parse errors at once: a large document has many, and growing the
        // array step by step copies them again at every step.
        found.reserveCapacity(found.count + parseErrors.count + memo.findings.count - placedCount)
        for index in instructions.indices where !new.contains(index) {
            let kept = Int(memo.findingStarts[index])..<Int(memo.findingStarts[index + 1])
            guard !kept.isEmpty else { continue }
            let offset = memo.spans[index].lowerBound
            let lines = Int(memo.firstLines[index]) - 1
            for finding in memo.findings[kept] { found.append(finding.moved(by: offset, lines: lines)) }
        }
        let result = finish(consume found, parseErrors: parseErrors, of: file)
        guard isComplete else { return (result, nil) }
        memo.source = tree.source
        memo.reusedInstructionCount = instructions.count - new.count
        return (result, memo)
    }

    /// A full lint of the document, and its memo.
    private func lintWhole(
        _ tree: DockerfileSyntaxTree, instructions: [Instruction], path: String, configuration: LintConfiguration,
        stoppingWhen isCancelled: () -> Bool
    ) -> (result: LintResult, memo: LintMemo?) {
        let file = LintedFile(path: path, tree: tree, instructions: instructions, configuration: configuration)
        let enabled = enabledRules(configuration)
        let parallel = instructions.count >= Self.parallelRulesThreshold
        var found = findings(of: enabled.filter { scopes[$0] == .file }, in: file, inParallel: parallel, stoppingWhen: isCancelled)
        let fresh = findings(of: enabled.filter { scopes[$0] == .instruction }, in: file, inParallel: parallel, stoppingWhen: isCancelled)
        let refused = tree.instructionErrors(of: instructions, at: instructions.indices)
        let parseErrors = (tree.errors + refused.map(\.error)).map(Self.parseErrorFinding)
        if isCancelled() { return (finish(found + fresh, parseErrors: parseErrors, of: file), nil) }

        let spans = instructions.map(LintMemo.span(of:))
        let firstLines = instructions.map { Int32(clamping: $0.range.start.line) }
        let refusals = refused.map { refusal in
            let index = refusal.index
            return (index, Self.parseErrorFinding(refusal.error).moved(by: -spans[index].lowerBound, lines: -(Int(firstLines[index]) - 1)))
        }
        // Each finding placed in its instruction, relative to the instruction's first line.
        var placed = [[Finding]](repeating: [], count: instructions.count)
        var isComplete = true
        for finding in fresh {
            guard let index = Self.instruction(holding: finding, spans: spans) else {
                isComplete = false
                continue
            }
            placed[index].append(finding.moved(by: -spans[index].lowerBound, lines: -(Int(firstLines[index]) - 1)))
        }
        found += fresh
        let result = finish(consume found, parseErrors: parseErrors, of: file)
        guard isComplete else { return (result, nil) }
        var starts: [Int32] = []
        starts.reserveCapacity(instructions.count + 1)
        var total = 0
        for findings in placed {
            starts.append(Int32(total))
            total += findings.count
        }
        starts.append(Int32(total))
        let memo = LintMemo(
            configuration: configuration, escapeToken: tree.escapeToken, source: tree.source, spans: spans, firstLines: firstLines,
            file: file, findings: placed.flatMap { $0 }, findingStarts: starts, refusals: refusals, unchecked: 0..<0, reusedInstructionCount: 0)
        return (result, memo)
    }

    /// Whether all of a finding (its range and its fix's edits) lies in an instruction's bytes.
    private static func lies(_ finding: Finding, within span: Range<Int>) -> Bool {
        let bounds = span.lowerBound...span.upperBound
        return bounds.contains(finding.range.start.offset) && bounds.contains(finding.range.end.offset)
            && (finding.fix?.edits ?? []).allSatisfy { bounds.contains($0.offsets.lowerBound) && bounds.contains($0.offsets.upperBound) }
    }

    /// The instruction whose lines hold all of a finding, if one does.
    private static func instruction(holding finding: Finding, spans: [Range<Int>]) -> Int? {
        let offset = finding.range.start.offset
        let after = spans.partitioningIndex { $0.lowerBound > offset }
        guard after > 0, lies(finding, within: spans[after - 1]) else { return nil }
        return after - 1
    }
}

extension Finding {
    /// The same finding `offset` bytes and `lines` lines further on (columns stay: whole lines move).
    func moved(by offset: Int, lines: Int) -> Finding {
        Finding(code: code, severity: severity, message: message, range: range.moved(by: offset, lines: lines), fix: fix?.moved(by: offset))
    }
}
