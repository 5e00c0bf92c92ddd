// The one ASCII case mapping the modules share: keywords, directive names, hosts and variable names are compared
// without case, and mapping their bytes spares the Unicode tables `lowercased()` reads.
extension String {
    /// The string with ASCII letters lower-cased and every other byte as it is.
    package func asciiLowercased() -> String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// The string with ASCII letters upper-cased and every other byte as it is.
    package func asciiUppercased() -> String {
        String(decoding: utf8.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }, as: UTF8.self)
    }
}
