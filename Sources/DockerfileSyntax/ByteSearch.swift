/// Substring search over UTF-8 bytes, shared by the parser and the lint rules (which compare bytes, not characters).
public enum ByteSearch {
    /// The offset of the first occurrence of `pattern` in `bytes` at or after `start`; an empty pattern is found at `start`.
    public static func firstOffset(of pattern: UnsafeBufferPointer<UInt8>, in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
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
