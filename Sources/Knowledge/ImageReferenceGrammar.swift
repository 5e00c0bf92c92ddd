/// The grammar of image references that BuildKit and the engines accept (distribution's reference package):
/// `[host[:port]/]path[:tag][@algorithm:hex]`, with lower-case path components.
public enum ImageReferenceGrammar {
    /// Whether `text` is a well-formed image reference (`local/debian:12`, `nvcr.io/nvidia/cuda:12.4.1-devel-ubuntu22.04`,
    /// `debian@sha256:…`); `--platform=linux/amd64`, `a b` or an empty text is not.
    public static func isValid(_ text: String) -> Bool {
        var name = Substring(text)
        if let at = name.firstIndex(of: "@") {
            guard isDigest(name[name.index(after: at)...]) else { return false }
            name = name[..<at]
        }
        if let colon = name.lastIndex(of: ":"), !name[colon...].contains("/") {
            guard isTag(name[name.index(after: colon)...]) else { return false }
            name = name[..<colon]
        }
        guard !name.isEmpty, name.utf8.count <= 255 else { return false }
        var components = name.split(separator: "/", omittingEmptySubsequences: false)
        if components.count > 1, let first = components.first,
           first.contains(".") || first.contains(":") || first == "localhost" || first.contains(where: \.isUppercase) {
            guard isDomain(first) else { return false }
            components.removeFirst()
        }
        return components.allSatisfy(isPathComponent)
    }

    /// `[a-z0-9]+` joined by `.`, `_`, `__` or runs of `-`.
    private static func isPathComponent(_ component: Substring) -> Bool {
        let bytes = Array(component.utf8)
        guard let first = bytes.first, let last = bytes.last, isLowerAlphanumeric(first), isLowerAlphanumeric(last) else { return false }
        var index = 0
        while index < bytes.count {
            if isLowerAlphanumeric(bytes[index]) {
                index += 1
                continue
            }
            var separatorEnd = index
            while separatorEnd < bytes.count, !isLowerAlphanumeric(bytes[separatorEnd]) { separatorEnd += 1 }
            let separator = bytes[index..<separatorEnd]
            let isValidSeparator = separator.elementsEqual([UInt8(ascii: ".")]) || separator.elementsEqual([UInt8(ascii: "_")])
                || separator.elementsEqual([UInt8(ascii: "_"), UInt8(ascii: "_")]) || separator.allSatisfy { $0 == UInt8(ascii: "-") }
            guard isValidSeparator else { return false }
            index = separatorEnd
        }
        return true
    }

    /// A host name of dot-separated labels, or a bracketed IPv6 address, with an optional port.
    private static func isDomain(_ domain: Substring) -> Bool {
        var host = domain
        if let colon = domain.lastIndex(of: ":"), !domain[colon...].contains("]") {
            let port = domain[domain.index(after: colon)...]
            guard !port.isEmpty, port.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return false }
            host = domain[..<colon]
        }
        if host.hasPrefix("[") {
            return host.hasSuffix("]") && host.count > 2 && host.dropFirst().dropLast().utf8.allSatisfy { isHexDigit($0) || $0 == UInt8(ascii: ":") }
        }
        return !host.isEmpty && host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { label in
            let bytes = Array(label.utf8)
            guard let first = bytes.first, let last = bytes.last, isAlphanumeric(first), isAlphanumeric(last) else { return false }
            return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "-") }
        }
    }

    /// `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    private static func isTag(_ tag: Substring) -> Bool {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first, bytes.count <= 128, isAlphanumeric(first) || first == UInt8(ascii: "_") else { return false }
        return bytes.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") }
    }

    /// `algorithm:encoded`, the encoded part at least 32 characters.
    private static func isDigest(_ digest: Substring) -> Bool {
        guard let colon = digest.firstIndex(of: ":") else { return false }
        let algorithm = digest[..<colon].utf8
        let encoded = digest[digest.index(after: colon)...].utf8
        return !algorithm.isEmpty && algorithm.allSatisfy { isLowerAlphanumeric($0) || "+._-".utf8.contains($0) }
            && encoded.count >= 32 && encoded.allSatisfy { isAlphanumeric($0) || $0 == UInt8(ascii: "=") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    private static func isLowerAlphanumeric(_ byte: UInt8) -> Bool { (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool { isLowerAlphanumeric(byte) || (byte >= 0x41 && byte <= 0x5A) }
    private static func isHexDigit(_ byte: UInt8) -> Bool { (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x66) }
}
