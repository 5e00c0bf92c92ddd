extension StringProtocol {
    /// Without leading and trailing spaces and tabs (line breaks kept), as Foundation's `.whitespaces` trims.
    package func trimmingSpaces() -> String { trimmed { $0.isWhitespace && !$0.isNewline } }

    /// Without leading and trailing white space, line breaks included.
    package func trimmingWhitespace() -> String { trimmed(\.isWhitespace) }

    private func trimmed(_ isTrimmed: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !isTrimmed($0) }), let last = lastIndex(where: { !isTrimmed($0) }) else { return "" }
        return String(self[first...last])
    }
}
