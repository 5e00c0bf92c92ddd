import DockerfileSyntax

extension LintRule {
    /// One finding per instruction (at its keyword) for which `predicate` holds.
    func reportInstructions(in file: LintedFile, where predicate: (Instruction) -> Bool) -> [Finding] {
        file.instructions.filter(predicate).map { finding(description.summary, at: $0.keyword.range) }
    }
}

/// Whether a path is absolute on Windows (`C:…`).
func isWindowsAbsolute(_ path: String) -> Bool {
    let characters = Array(path.prefix(2))
    return characters.count == 2 && characters[0].isLetter && characters[1] == ":"
}
