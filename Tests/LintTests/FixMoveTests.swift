@testable import Lint
import Testing

/// A fix moved with its finding (as the editor moves the findings after an edit) keeps its edits' shape and reads them
/// at their new place; it equals the same fix made there.
@Suite struct FixMoveTests {
    static let made = Fix(summary: "s", edits: [TextEdit(offsets: 3..<5, replacement: "a"), TextEdit(offsets: 9..<9, replacement: "b")])

    @Test func aMovedFixReadsItsEditsAtTheNewPlace() {
        let moved = Self.made.moved(by: 10)
        #expect(moved.edits == [TextEdit(offsets: 13..<15, replacement: "a"), TextEdit(offsets: 19..<19, replacement: "b")])
        #expect(moved.moved(by: -10).edits == Self.made.edits)
    }

    @Test func aMovedFixEqualsTheSameFixMadeThere() {
        let there = Fix(summary: "s", edits: [TextEdit(offsets: 13..<15, replacement: "a"), TextEdit(offsets: 19..<19, replacement: "b")])
        #expect(Self.made.moved(by: 10) == there)
        #expect(Self.made.moved(by: 9) != there)
    }
}
