import Support
import Testing

private func read(_ text: String) throws(ConfigurationError) -> YAMLValue {
    try YAMLReader.read(text, path: "f.yaml")
}

private func failure(_ text: String) -> String? {
    do {
        _ = try read(text)
        return nil
    } catch {
        return "\(error.line):\(error.column): \(error.message)"
    }
}

@Test func aSequenceItemMayStartAMapping() throws {
    let value = try read("members:\n  - name: a\n    key: k\n  - name: b\n")
    guard case .map(let top) = value.value, case .list(let items) = top[0].1.value else { Issue.record("not a list"); return }
    #expect(items.count == 2)
    guard case .map(let first) = items[0].value else { Issue.record("not a mapping"); return }
    #expect(first.map(\.0) == ["name", "key"])
    #expect(first[1].1 == YAMLValue(value: .scalar("k"), line: 3, column: 10))
}

@Test func flowCollectionsNestOnOneLine() throws {
    let value = try read("m: {a: 1, b: [2, \"x, y\"], c: {d: 'it''s'}, e: }\n")
    let expected = YAMLValue(value: .map([
        ("m", YAMLValue(value: .map([
            ("a", YAMLValue(value: .scalar("1"), line: 1, column: 8)),
            ("b", YAMLValue(value: .list([YAMLValue(value: .scalar("2"), line: 1, column: 15), YAMLValue(value: .scalar("x, y"), line: 1, column: 18)]), line: 1, column: 14)),
            ("c", YAMLValue(value: .map([("d", YAMLValue(value: .scalar("it's"), line: 1, column: 34))]), line: 1, column: 30)),
            ("e", YAMLValue(value: .null, line: 1, column: 47)),
        ]), line: 1, column: 4)),
    ]), line: 1, column: 1)
    #expect(value == expected)
}

@Test func urlsAndQuotedColonsStayScalarsInSequences() throws {
    let value = try read("- http://x/y\n- \"a: b\"\n")
    #expect(value == YAMLValue(value: .list([YAMLValue(value: .scalar("http://x/y"), line: 1, column: 3),
                                             YAMLValue(value: .scalar("a: b"), line: 2, column: 3)]), line: 1, column: 1))
}

@Test func flowErrorsPointAtTheirColumn() {
    #expect(failure("m: {a: 1\n") == "1:9: '{' is not closed on this line")
    #expect(failure("m: [1 2]\n") == nil)
    #expect(failure("m: {a: 1, a: 2}\n") == "1:11: 'a' is given twice")
    #expect(failure("m: {a 1}\n") == "1:8: expected ':' after 'a 1'")
    #expect(failure("m: [1] x\n") == "1:8: unexpected 'x' after the closing bracket")
    #expect(failure("a: 1\na: 2\n") == "2:1: 'a' is given twice")
}

@Test func nestingBeyondTheLimitIsRefusedNotRecursed() {
    let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
    #expect(failure("m: \(deep)\n")?.contains("nested more than 64 levels deep") == true)
    var block = ""
    for depth in 0..<200 { block += String(repeating: " ", count: depth) + "k:\n" }
    #expect(failure(block)?.contains("nested more than 64 levels deep") == true)
}
