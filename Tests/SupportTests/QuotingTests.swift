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

@Test func jsonQuotingAppendedAsBytesIsTheQuotedString() {
    for text in ["", "plain", "a\"b\\c", "line\nbreak\r\ttab", "\u{1}\u{1f}\u{7f}", "名字 ✓", "end\\"] {
        var bytes: [UInt8] = [UInt8(ascii: "x")]
        JSONWriter.appendQuoted(text, to: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == "x" + JSONWriter.quoted(text))
    }
    #expect(JSONWriter.quoted("\u{1}") == "\"\\u0001\"")
}
