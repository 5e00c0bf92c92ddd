import Support
/// A heredoc announced on an instruction line (`<<EOF`, `<<-"EOF"`, `3<<EOF`).
struct HeredocSpec: Equatable {
    var name: String
    var fileDescriptor: Int
    var stripsLeadingTabs: Bool
    var expands: Bool
}

/// Finds the heredocs an instruction line announces, as BuildKit's heredocsFromLine does: the line is split into
/// words by the shell lexer (quotes and escapes kept, unset variables left alone) and each word of the form
/// `[digits]<<[-][blanks]WORD` with no further `<` names a heredoc. A line the lexer cannot split has none.
enum HeredocScanner {
    static func heredocs(in line: [UInt8]) throws(NodeFailure) -> [HeredocSpec] {
        var lexer = ShellWordExpander(escapeToken: "\\")
        lexer.keepsQuotes = true
        lexer.keepsEscapes = true
        lexer.leavesUnsetVariables = true
        guard let words = try? lexer.expand(GoText.string(line), environment: [:]).words else { return [] }
        var specs: [HeredocSpec] = []
        for word in words {
            if let spec = try spec(from: Array(word.utf8)) { specs.append(spec) }
        }
        return specs
    }

    /// Matches `^(\d*)<<(-?)\s*([^<]*)$` and reads the delimiter word.
    static func spec(from word: [UInt8]) throws(NodeFailure) -> HeredocSpec? {
        var index = 0
        while index < word.count && word[index] >= 0x30 && word[index] <= 0x39 { index += 1 }
        let digits = word[0..<index]
        guard index + 2 <= word.count, word[index] == 0x3C, word[index + 1] == 0x3C else { return nil }
        index += 2
        var strips = false
        if index < word.count && word[index] == UInt8(ascii: "-") {
            strips = true
            index += 1
        }
        while index < word.count && [0x20, 0x09, 0x0A, 0x0C, 0x0D].contains(word[index]) { index += 1 }
        let rest = word[index...]
        guard !rest.isEmpty, !rest.contains(0x3C) else { return nil }
        var plain = ShellWordExpander(escapeToken: "\\")
        plain.leavesUnsetVariables = true
        let restText = GoText.string(rest)
        let words: [String]
        let rawWords: [String]
        do {
            words = try plain.expand(restText, environment: [:]).words
            guard words.count == 1 else { return nil }
            plain.keepsQuotes = true
            rawWords = try plain.expand(restText, environment: [:]).words
        } catch {
            throw NodeFailure(message: "failed to process \(Quoting.go(restText)): \(error.message)")
        }
        guard rawWords.count == words.count else {
            throw NodeFailure(message: "internal lexing of heredoc produced inconsistent results: \(restText)")
        }
        func quoteCount(_ text: String) -> Int { text.utf8.reduce(0) { $0 + ($1 == 0x27 || $1 == 0x22 ? 1 : 0) } }
        var descriptor = 0
        for digit in digits {
            let (product, overflow) = descriptor.multipliedReportingOverflow(by: 10)
            descriptor = overflow ? Int.max : min(Int.max - 9, product) + Int(digit - 0x30)
        }
        return HeredocSpec(
            name: words[0], fileDescriptor: descriptor, stripsLeadingTabs: strips,
            expands: quoteCount(words[0]) == quoteCount(rawWords[0]))
    }
}
