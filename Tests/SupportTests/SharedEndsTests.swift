import Testing
@testable import Support

/// Where an edit lies between two versions of a text: the bytes they share at the start, then at the end.
@Suite struct SharedEndsTests {
    /// A long text (several 4 KB blocks) with `insert` put at `offset`.
    static func edited(_ text: [UInt8], inserting insert: [UInt8], at offset: Int) -> [UInt8] {
        Array(text[..<offset]) + insert + Array(text[offset...])
    }

    static let text: [UInt8] = (0..<20_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    @Test(arguments: [0, 1, 4095, 4096, 4097, 12_345, 19_999, 20_000])
    func anInsertionIsFoundAtItsOffset(offset: Int) {
        let new = Self.edited(Self.text, inserting: [0xFF, 0xFE], at: offset)
        let (prefix, suffix) = ByteSearch.sharedEnds(Self.text, new)
        // The inserted bytes may match their neighbours, so the shared start reaches at least to the edit and the two
        // ends together cover every byte of the old text, none twice.
        #expect(prefix >= offset)
        #expect(prefix + suffix == Self.text.count)
        #expect(new.count - prefix - suffix == 2)
    }

    @Test func theEndNeverOverlapsTheStart() {
        // "aaaa" → "aaaaa": all four old bytes are shared at the start, none is counted again at the end.
        let (prefix, suffix) = ByteSearch.sharedEnds(Array("aaaa".utf8), Array("aaaaa".utf8))
        #expect(prefix == 4)
        #expect(suffix == 0)
    }

    @Test func equalAndEmptyTexts() {
        #expect(ByteSearch.sharedEnds(Self.text, Self.text) == (Self.text.count, 0))
        #expect(ByteSearch.sharedEnds([], Array("x".utf8)) == (0, 0))
    }
}
