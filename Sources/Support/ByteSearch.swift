/// Substring search over UTF-8 bytes, shared by the parser and the lint rules (which compare bytes, not characters).
package enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `bytes` at or after `start`; an empty pattern is found at `start`.
    package static func firstOffset(of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        if pattern.isEmpty { return start <= bytes.count ? start : nil }
        guard pattern.count <= bytes.count else { return nil }
        let first = pattern[0]
        var index = max(start, 0)
        let last = bytes.count - pattern.count
        while index <= last {
            if bytes[index] == first {
                var offset = 1
                while offset < pattern.count && bytes[index + offset] == pattern[offset] { offset += 1 }
                if offset == pattern.count { return index }
            }
            index += 1
        }
        return nil
    }
}

extension String {
    /// The UTF-8 offset of the first occurrence of `other` at or after `start`, if any.
    package func utf8Offset(of other: String, from start: Int = 0) -> Int? {
        var haystack = self
        var needle = other
        return haystack.withUTF8 { hay in needle.withUTF8 { ByteSearch.firstOffset(of: $0, in: hay, from: start) } }
    }
}
