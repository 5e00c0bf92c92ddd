import Testing
@testable import Support

@Test func goQuotingIsStrconvQuote() {
    #expect(Quoting.go("a\"b\\c") == "\"a\\\"b\\\\c\"")
    #expect(Quoting.go("tab\there\n") == "\"tab\\there\\n\"")
    #expect(Quoting.go("\u{1}") == "\"\\x01\"")
    #expect(Quoting.go("名字") == "\"名字\"")
    #expect(Quoting.go("\u{200B}") == "\"\\u200b\"")
}

@Test func goTimeQuotingEscapesEveryByteOutsidePrintableASCII() {
    #expect(Quoting.goTime("5x") == "\"5x\"")
    #expect(Quoting.goTime("5秒") == "\"5\\xe7\\xa7\\x92\"")
}

@Test func xmlTextDropsOrEscapesControlsByDialect() {
    #expect(Quoting.xml("a<b & 'c' \"d\"\u{1}") == "a&lt;b &amp; &apos;c&apos; &quot;d&quot;")
    #expect(Quoting.xml("a>b\u{1b}", controls: .escape, apostrophe: false, quote: false) == "a&gt;b\\x1b")
}

@Test func jsonQuotingEscapesQuotesBackslashesAndControlsOnly() {
    let cases: [(String, String)] = [
        ("", #""""#), ("plain", #""plain""#), ("a\"b\\c", #""a\"b\\c""#), ("line\nbreak\r\ttab", #""line\nbreak\r\ttab""#),
        ("\u{1}\u{1f}\u{7f}", #""\u0001\u001f\u007f""#), ("名字 ✓", "\"名字 ✓\""), ("end\\", #""end\\""#),
    ]
    for (text, literal) in cases {
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        JSONWriter.appendQuoted(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + literal)
        #expect(JSONWriter.quoted(text) == literal)
    }
}

@Test func jsonNumbersAppendedAsBytesMatchTheWriters() {
    for value in [0, 7, 10, 99, 1_000, -1, -45, Int.max, Int.min] {
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        JSONWriter.appendNumber(value, to: &bytes)
        var writer = JSONWriter()
        writer.number(value)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + writer.output)
    }
}
