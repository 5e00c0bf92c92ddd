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
    /// place; those after them are this memo's moved with the bytes after the edit. Nil when the two versions'
    /// instructions do not line up so (the caller then lints the whole file).
    func replacedRegion(in source: [UInt8], instructions: [Instruction]) -> (old: Range<Int>, new: Range<Int>)? {
        let (prefix, suffix) = ByteSearch.sharedEnds(self.source, source)
        let delta = source.count - self.source.count
        let shift = instructions.count - spans.count
        // Before: ends in the shared start. An instruction ends where a line of its own does not go on, so the bytes
        // after it cannot change it, unless it ends the file (its last line may go on with what is appended).
        // After: starts in the shared end.
        var before = spans.partitioningIndex { $0.upperBound > prefix || $0.upperBound == self.source.count }
        var after = spans.partitioningIndex { $0.lowerBound >= self.source.count - suffix }
        if !unchecked.isEmpty {
            before = min(before, unchecked.lowerBound)
            after = max(after, unchecked.upperBound)
        }
        // The parser reads from where the previous version's instructions are again, so the first instruction kept
        // on either side is checked where the edit meets it, and the region grows until one is where it should be.
        while before > 0, before <= instructions.count, Self.span(of: instructions[before - 1]) != spans[before - 1] { before -= 1 }
        // A byte order mark is the file's only at its first byte, and part of a keyword anywhere else: a line that
        // comes to start the file, or stops starting it, is not the same instruction whatever its bytes.
        while after < spans.count {
            let index = after + shift
            if index >= before, index < instructions.count, case let span = Self.span(of: instructions[index]),
               span == spans[after].shifted(by: delta), (span.lowerBound == 0) == (spans[after].lowerBound == 0) { break }
            after += 1
        }
        guard before <= after, before <= after + shift, after + shift <= instructions.count else { return nil }
        return (before..<after, before..<(after + shift))
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

extension LintMemo {
    /// The memo of a version whose rules have not run yet: its file, and the places of its instructions.
    init(file: LintedFile, configuration: LintConfiguration) {
        let instructions = file.instructions
        self.init(
            configuration: configuration, escapeToken: file.tree.escapeToken, source: file.tree.source,
            spans: instructions.map(Self.span(of:)), firstLines: instructions.map { Int32(clamping: $0.range.start.line) }, file: file,
            findings: [], findingStarts: [Int32](repeating: 0, count: instructions.count + 1), refusals: [], unchecked: 0..<0,
            reusedInstructionCount: 0)
    }

    /// Makes the places those of `source`, where the instructions in `old` became `instructions[new]`: theirs are read,
    /// and those after them move with the text after the edit.
    mutating func replacePlaces(_ old: Range<Int>, with new: Range<Int>, of instructions: [Instruction], in source: [UInt8]) {
        let delta = source.count - self.source.count
        let lineShift = new.upperBound < instructions.count
            ? instructions[new.upperBound].range.start.line - Int(firstLines[old.upperBound]) : 0
        spans.replaceSubrange(old, with: instructions[new].map(Self.span(of:)))
        firstLines.replaceSubrange(old, with: instructions[new].map { Int32(clamping: $0.range.start.line) })
        if delta != 0 || lineShift != 0 {
            for index in new.upperBound..<spans.count {
                spans[index] = spans[index].shifted(by: delta)
                firstLines[index] += Int32(clamping: lineShift)
            }
        }
        self.source = source
    }

    /// Each finding placed in its instruction, one of `region`, relative to the instruction's first line; nil when
    /// one does not lie wholly in one of them.
    func placed(_ findings: [Finding], in region: Range<Int>) -> [[Finding]]? {
        var placed = [[Finding]](repeating: [], count: region.count)
        for finding in findings {
            guard let index = instruction(holding: finding), region.contains(index) else { return nil }
            placed[index - region.lowerBound].append(relative(finding, to: index))
        }
        return placed
    }

    /// Replaces the findings of the instructions in `old` by `placed`, those of the instructions in their place.
    mutating func replaceFindings(of old: Range<Int>, with placed: [[Finding]]) {
        let flat = findingStarts.replaceRuns(of: old, withCounts: placed.map(\.count))
        findings.replaceSubrange(flat, with: placed.joined())
    }

    /// Replaces the refusals of the instructions in `old` by `refusals`, those of the instructions `new` in their
    /// place (where they lie now); those after them move with their instructions.
    mutating func replaceRefusals(of old: Range<Int>, with new: Range<Int>, by refused: [(index: Int, error: SyntaxError)]) {
        let after = refusals.partitioningIndex { $0.instruction >= old.upperBound }
        let first = refusals[..<after].partitioningIndex { $0.instruction >= old.lowerBound }
        for position in after..<refusals.count { refusals[position].instruction += new.count - old.count }
        refusals.replaceSubrange(first..<after, with: refused.map { ($0.index, relative(Linter.parseErrorFinding($0.error), to: $0.index)) })
    }

    /// The refusals where they lie in the document.
    var placedRefusals: [Finding] {
        refusals.map { absolute($0.finding, in: $0.instruction) }
    }

    /// Appends the findings of the instructions outside `region` to `found`, where they lie in the document.
    func appendFindings(outside region: Range<Int>, to found: inout [Finding]) {
        for index in spans.indices where !region.contains(index) {
            let kept = Int(findingStarts[index])..<Int(findingStarts[index + 1])
            guard !kept.isEmpty else { continue }
            for finding in findings[kept] { found.append(absolute(finding, in: index)) }
        }
    }

    /// A finding of instruction `index` placed as if its first line were line 1 at offset 0.
    private func relative(_ finding: Finding, to index: Int) -> Finding {
        finding.moved(by: -spans[index].lowerBound, lines: -(Int(firstLines[index]) - 1))
    }

    /// A finding placed relative to instruction `index`, where it lies in the document.
    private func absolute(_ finding: Finding, in index: Int) -> Finding {
        finding.moved(by: spans[index].lowerBound, lines: Int(firstLines[index]) - 1)
    }

    /// The instruction whose lines hold all of a finding (its range and its fix's edits), if one does.
    private func instruction(holding finding: Finding) -> Int? {
        let offset = finding.range.start.offset
        let after = spans.partitioningIndex { $0.lowerBound > offset }
        guard after > 0 else { return nil }
        let bounds = spans[after - 1].lowerBound...spans[after - 1].upperBound
        guard bounds.contains(finding.range.start.offset), bounds.contains(finding.range.end.offset),
              (finding.fix?.edits ?? []).allSatisfy({ bounds.contains($0.offsets.lowerBound) && bounds.contains($0.offsets.upperBound) })
        else { return nil }
        return after - 1
    }
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
        memo.replacePlaces(old, with: new, of: instructions, in: tree.source)
        memo.replaceRefusals(of: old, with: new, by: tree.instructionErrors(of: instructions, at: new))
        let file = memo.file
        let enabled = enabledRules(configuration)
        var found = findings(
            of: enabled.filter { scopes[$0] == .file }, in: file, inParallel: instructions.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        let fresh = findings(
            of: enabled.filter { scopes[$0] == .instruction }, in: file.focused(on: new), inParallel: new.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        // A stopped lint's findings are incomplete: its instructions are left for the next lint to check.
        let cancelled = isCancelled()
        let placed = cancelled ? [[Finding]](repeating: [], count: new.count) : memo.placed(fresh, in: new)
        memo.replaceFindings(of: old, with: placed ?? [[Finding]](repeating: [], count: new.count))
        memo.unchecked = cancelled ? new : 0..<0
        memo.reusedInstructionCount = instructions.count - new.count

        let parseErrors = tree.errors.map(Self.parseErrorFinding) + memo.placedRefusals
        found += fresh
        // Room for the kept findings and the parse errors at once: a large document has many, and growing the
        // array step by step copies them again at every step.
        found.reserveCapacity(found.count + parseErrors.count + memo.findings.count)
        memo.appendFindings(outside: new, to: &found)
        let result = finish(consume found, parseErrors: parseErrors, of: file)
        return (result, placed == nil ? nil : memo)
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
        found += fresh
        if isCancelled() { return (finish(consume found, parseErrors: parseErrors, of: file), nil) }

        var memo = LintMemo(file: file, configuration: configuration)
        memo.replaceRefusals(of: instructions.indices, with: instructions.indices, by: refused)
        let placed = memo.placed(fresh, in: instructions.indices)
        if let placed { memo.replaceFindings(of: instructions.indices, with: placed) }
        return (finish(consume found, parseErrors: parseErrors, of: file), placed == nil ? nil : memo)
    }
}

extension Finding {
    /// The same finding `offset` bytes and `lines` lines further on (columns stay: whole lines move).
    func moved(by offset: Int, lines: Int) -> Finding {
        Finding(code: code, severity: severity, message: message, range: range.moved(by: offset, lines: lines), fix: fix?.moved(by: offset))
    }
}
