import DockerfileSyntax

extension LintRule {
    /// One finding per instruction (at its keyword) for which `predicate` holds.
    func reportInstructions(in file: LintedFile, of kinds: InstructionKind..., where predicate: (Instruction) -> Bool) -> [Finding] {
        file.instructionIndices(of: kinds).compactMap { index in
            let instruction = file.instructions[index]
            return predicate(instruction) ? finding(description.summary, at: instruction.keyword.range) : nil
        }
    }
}

/// Whether a path is absolute on Windows (`C:…`).
func isWindowsAbsolute(_ path: String) -> Bool {
    let characters = Array(path.prefix(2))
    return characters.count == 2 && characters[0].isLetter && characters[1] == ":"
}

extension LintRule {
    /// One finding at each `kind` instruction after the first in its stage (DL4003, DL4004).
    func reportRepeated(_ kind: InstructionKind, in file: LintedFile) -> [Finding] {
        var seen = false
        return reportInstructions(in: file, of: .from, kind) { instruction in
            if instruction.kind == .from { seen = false }
            guard instruction.kind == kind else { return false }
            defer { seen = true }
            return seen
        }
    }
}
