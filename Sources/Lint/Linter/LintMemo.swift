import DockerfileSyntax
import Shell

/// What linting one version of a document leaves for linting the next: by the bytes of each instruction, the
/// findings of the instruction-scoped rules (``RuleScope/instruction``) in it and the RUN scripts read from it. An
/// edit changes a few instructions; the next lint runs the instruction rules on those only, takes the rest from
/// here, and reads no unchanged script again. It holds one version's instructions, so it never outgrows the document.
public struct LintMemo: Sendable {
    let configuration: LintConfiguration
    let escapeToken: UInt8
    /// An instruction's bytes, from the start of its first line → what was found in it.
    let instructions: [InstructionBytes: Entry]

    struct Entry: Sendable {
        /// The instruction-scoped findings, placed as if the instruction's first line were line 1 at offset 0.
        let findings: [Finding]
        /// Its RUN scripts, read.
        let scripts: [ShellScript]
    }

    /// How many distinct instructions it holds findings for.
    public var instructionCount: Int { instructions.count }
}

/// An instruction's bytes as a dictionary key, hashed in one pass rather than byte by byte.
struct InstructionBytes: Hashable, Sendable {
    let bytes: ArraySlice<UInt8>

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    static func == (left: InstructionBytes, right: InstructionBytes) -> Bool {
        left.bytes.count == right.bytes.count && left.bytes.elementsEqual(right.bytes)
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
        var keys: [InstructionBytes] = []
        var lineStarts: [Int] = []
        var known: [LintMemo.Entry?] = []
        keys.reserveCapacity(instructions.count)
        lineStarts.reserveCapacity(instructions.count)
        known.reserveCapacity(instructions.count)
        var changed: [Int] = []
        for (index, instruction) in instructions.enumerated() {
            let start = instruction.range.start.offset - (instruction.range.start.column - 1)
            lineStarts.append(start)
            keys.append(InstructionBytes(bytes: tree.source[start..<instruction.range.end.offset]))
            known.append(usable?.instructions[keys[index]])
            if known[index] == nil { changed.append(index) }
        }
        let file = LintedFile(path: path, tree: tree, configuration: configuration, knownScripts: known.map { $0?.scripts })
        let enabled = enabledRules(configuration)
        var found = findings(
            of: enabled.filter { scopes[$0] == .file }, in: file, inParallel: instructions.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        let focus = changed.count == instructions.count ? file : file.focused(on: changed)
        let fresh = findings(
            of: enabled.filter { scopes[$0] == .instruction }, in: focus, inParallel: changed.count >= Self.parallelRulesThreshold,
            stoppingWhen: isCancelled)
        if isCancelled() { return (finish(found + fresh, of: file), nil) }

        // Place each new finding in its instruction, relative to the instruction's first line.
        var placed = [[Finding]](repeating: [], count: instructions.count)
        var isComplete = true
        for finding in fresh {
            guard let index = Self.instruction(holding: finding, lineStarts: lineStarts, instructions: instructions), known[index] == nil else {
                isComplete = false
                continue
            }
            placed[index].append(finding.moved(by: -lineStarts[index], lines: -(instructions[index].range.start.line - 1)))
        }
        found += fresh
        var entries: [InstructionBytes: LintMemo.Entry] = [:]
        entries.reserveCapacity(instructions.count)
        for index in instructions.indices {
            if let reused = known[index] {
                entries[keys[index]] = reused
                let lines = instructions[index].range.start.line - 1
                for finding in reused.findings { found.append(finding.moved(by: lineStarts[index], lines: lines)) }
            } else {
                entries[keys[index]] = LintMemo.Entry(findings: placed[index], scripts: file.runScripts[index].map(\.script))
            }
        }
        let next = isComplete ? LintMemo(configuration: configuration, escapeToken: tree.escapeToken, instructions: entries) : nil
        return (finish(found, of: file), next)
    }

    /// The instruction whose lines hold all of a finding (its range and its fix's edits), if one does.
    private static func instruction(holding finding: Finding, lineStarts: [Int], instructions: [Instruction]) -> Int? {
        let offset = finding.range.start.offset
        var low = 0
        var high = lineStarts.count
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        guard low > 0 else { return nil }
        let index = low - 1
        let span = lineStarts[index]...instructions[index].range.end.offset
        let edits = finding.fix?.edits ?? []
        guard span.contains(finding.range.end.offset),
              edits.allSatisfy({ span.contains($0.offsets.lowerBound) && span.contains($0.offsets.upperBound) }) else { return nil }
        return index
    }
}

extension Finding {
    /// The same finding `offset` bytes and `lines` lines further on (columns stay: whole lines move).
    func moved(by offset: Int, lines: Int) -> Finding {
        let fix = self.fix.map { fix in
            Fix(summary: fix.summary,
                edits: fix.edits.map { TextEdit(offsets: ($0.offsets.lowerBound + offset)..<($0.offsets.upperBound + offset), replacement: $0.replacement) },
                applicability: fix.applicability)
        }
        return Finding(code: code, severity: severity, message: message, range: range.moved(by: offset, lines: lines), fix: fix)
    }
}
