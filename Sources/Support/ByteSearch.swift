#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// How many bytes two texts share at their start, and then at their end (not overlapping the start's): where an
    /// edit turned `old` into `new`.
    package static func sharedEnds(_ old: [UInt8], _ new: [UInt8]) -> (prefix: Int, suffix: Int) {
        old.withUnsafeBufferPointer { old in
            new.withUnsafeBufferPointer { new in
                guard let oldStart = old.baseAddress, let newStart = new.baseAddress else { return (0, 0) }
                let shorter = min(old.count, new.count)
                var prefix = 0
                // Whole blocks first: memcmp compares them many bytes at a time.
                while prefix + 4096 <= shorter, memcmp(oldStart + prefix, newStart + prefix, 4096) == 0 { prefix += 4096 }
                while prefix < shorter && old[prefix] == new[prefix] { prefix += 1 }
                var suffix = 0
                let room = shorter - prefix
                while suffix + 4096 <= room, memcmp(oldStart + old.count - suffix - 4096, newStart + new.count - suffix - 4096, 4096) == 0 {
                    suffix += 4096
                }
                while suffix < room && old[old.count - 1 - suffix] == new[new.count - 1 - suffix] { suffix += 1 }
                return (prefix, suffix)
            }
        }
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
