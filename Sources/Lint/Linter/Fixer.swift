import DockerfileSyntax

/// Applies findings' fixes to a source, safely: overlapping edits are skipped, and a result that does not
/// parse, or that changes which parser directives BuildKit reads, is refused.
public enum Fixer {
    /// The fixed source, or nil when there was nothing to fix. Fixes are applied until none is left (at most a few rounds).
    /// Unsafe fixes (they change what the image does) are applied only with `includingUnsafe`.
    public static func fix(
        source: [UInt8], path: String, configuration: LintConfiguration, linter: Linter, includingUnsafe: Bool = false
    ) -> (fixed: [UInt8], applied: Int)? {
        var current = source
        var applied = 0
        for _ in 0..<4 {
            let result = linter.lint(source: current, path: path, configuration: configuration)
            let edits = nonOverlappingEdits(result.findings, includingUnsafe: includingUnsafe)
            guard !edits.isEmpty else { break }
            let candidate = apply(edits, to: current)
            let before = DockerfileParser.parse(current)
            let after = DockerfileParser.parse(candidate)
            guard after.errors.count <= before.errors.count, directives(after) == directives(before) else { break }
            current = candidate
            applied += edits.count
        }
        return applied > 0 ? (current, applied) : nil
    }

    /// The parser directives BuildKit reads, by name and value.
    static func directives(_ tree: DockerfileSyntaxTree) -> [String] {
        tree.directives.map { "\($0.name)=\($0.value)" }
    }

    /// Edits of all fixable findings that do not overlap, in source order.
    static func nonOverlappingEdits(_ findings: [Finding], includingUnsafe: Bool = false) -> [TextEdit] {
        var chosen: [TextEdit] = []
        let all = findings.compactMap(\.fix).filter { includingUnsafe || $0.applicability == .safe }.sorted { ($0.edits.first?.offsets.lowerBound ?? 0) < ($1.edits.first?.offsets.lowerBound ?? 0) }
        for fix in all {
            let overlaps = fix.edits.contains { edit in chosen.contains { $0.offsets.overlaps(edit.offsets) || $0.offsets == edit.offsets } }
            if !overlaps { chosen.append(contentsOf: fix.edits) }
        }
        return chosen.sorted { $0.offsets.lowerBound < $1.offsets.lowerBound }
    }

    /// Applies sorted, non-overlapping edits.
    public static func apply(_ edits: [TextEdit], to source: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(source.count)
        var position = 0
        for edit in edits where edit.offsets.lowerBound >= position && edit.offsets.upperBound <= source.count {
            output.append(contentsOf: source[position..<edit.offsets.lowerBound])
            output.append(contentsOf: edit.replacement.utf8)
            position = edit.offsets.upperBound
        }
        output.append(contentsOf: source[position...])
        return output
    }
}
