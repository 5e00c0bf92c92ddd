import Testing
@testable import Support

@Test func jsonObjectsArraysAndScalarsAreRead() throws {
    let value = try JSONValue.parse(Array(#"{"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}}"#.utf8))
    #expect(value["a"] == .array([.number("1"), .number("-2.5e3"), .bool(true), .bool(false), .null]))
    #expect(value["b"]?["c"]?.string == "d")
}

@Test func jsonStringEscapesAndSurrogatePairsAreDecoded() throws {
    let value = try JSONValue.parse(Array(#""a\"b\\c\/d\n\t\u00e9\ud83d\ude00""#.utf8))
    #expect(value.string == "a\"b\\c/d\n\té😀")
}

@Test func jsonLoneSurrogateBecomesReplacementCharacter() throws {
    #expect(try JSONValue.parse(Array(#""\ud800x""#.utf8)).string == "\u{FFFD}x")
}

@Test func jsonLastRepeatedKeyWinsAsInGo() throws {
    #expect(try JSONValue.parse(Array(#"{"k": 1, "k": 2}"#.utf8))["k"] == .number("2"))
}

@Test func jsonLargeIntegersKeepEveryDigit() throws {
    #expect(try JSONValue.parse(Array("30000000000".utf8)).integer == 30_000_000_000)
    #expect(try JSONValue.parse(Array("1e9".utf8)).integer == 1_000_000_000)
    #expect(try JSONValue.parse(Array("1.5".utf8)).integer == nil)
}

@Test func jsonErrorsCarryTheByteOffset() {
    for (text, offset) in [("[1,,2]", 3), ("{\"a\" 1}", 5), ("[01]", 1), ("\"abc", 4), ("[1] x", 4), ("tru", 0), ("", 0), ("\"a\u{1}\"", 2)] {
        #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
        do {
            _ = try JSONValue.parse(Array(text.utf8))
        } catch {
            #expect(error.offset == offset, "\(text)")
        }
    }
}

@Test func jsonDeepNestingIsAnErrorNotACrash() {
    let text = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
    #expect(throws: JSONSyntaxError.self) { try JSONValue.parse(Array(text.utf8)) }
}
