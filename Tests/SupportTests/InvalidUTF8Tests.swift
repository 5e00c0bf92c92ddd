import Testing
@testable import Support

@Test func bytesThatAreNotUTF8AreKeptAsMarksAndShownAsEscapes() {
    let marked = InvalidUTF8.markingInvalidBytes(Array("é ".utf8) + [0xFF, 0xC3] + Array(" ok".utf8))
    let text = String(decoding: marked, as: UTF8.self)
    #expect(InvalidUTF8.containsMark(text))
    #expect(text.escapingControlCharacters() == "é \\xff\\xc3 ok")
}

@Test func validTextIsLeftAsItIs() {
    let bytes = Array("naïve 数据 \u{FFFD}".utf8)
    #expect(InvalidUTF8.markingInvalidBytes(bytes) == bytes)
    #expect(!InvalidUTF8.containsMark(String(decoding: bytes, as: UTF8.self)))
}

@Test func inputHoldingAMarkAlreadyIsNotMarked() {
    let bytes = Array("\u{10FFFF}".utf8) + [0xFF]
    #expect(InvalidUTF8.markingInvalidBytes(bytes) == bytes)
}
