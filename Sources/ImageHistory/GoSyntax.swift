import DockerfileSyntax
import FoundationEssentials

/// Readers for the Go-formatted text engines write into history (`%q` strings, slices, maps, the healthcheck struct).
enum GoSyntax {
    /// Decodes one Go double-quoted string at the start of `text`; returns it and the rest, or nil.
    static func quotedString(_ text: Substring) -> (value: String, rest: Substring)? {
        var scalars = text.unicodeScalars[...]
        guard scalars.first == "\"" else { return nil }
        scalars = scalars.dropFirst()
        var value = String.UnicodeScalarView()
        var bytes: [UInt8] = []
        func flushBytes() {
            if !bytes.isEmpty {
                value.append(contentsOf: String(decoding: bytes, as: UTF8.self).unicodeScalars)
                bytes.removeAll()
            }
        }
        while let scalar = scalars.first {
            scalars = scalars.dropFirst()
            if scalar == "\"" {
                flushBytes()
                return (String(value), Substring(scalars))
            }
            guard scalar == "\\" else {
                flushBytes()
                value.append(scalar)
                continue
            }
            guard let escape = scalars.first else { return nil }
            scalars = scalars.dropFirst()
            switch escape {
            case "n": flushBytes(); value.append("\n")
            case "t": flushBytes(); value.append("\t")
            case "r": flushBytes(); value.append("\r")
            case "a": flushBytes(); value.append("\u{07}")
            case "b": flushBytes(); value.append("\u{08}")
            case "f": flushBytes(); value.append("\u{0C}")
            case "v": flushBytes(); value.append("\u{0B}")
            case "\\", "\"", "'": flushBytes(); value.append(escape)
            case "x", "u", "U":
                let width = escape == "x" ? 2 : (escape == "u" ? 4 : 8)
                let digits = String(String.UnicodeScalarView(scalars.prefix(width)))
                guard digits.count == width, let number = UInt32(digits, radix: 16) else { return nil }
                scalars = scalars.dropFirst(width)
                if escape == "x" {
                    bytes.append(UInt8(number))
                } else {
                    flushBytes()
                    value.append(Unicode.Scalar(number) ?? "\u{FFFD}")
                }
            default:
                return nil
            }
        }
        return nil
    }

    /// `["a" "b c"]` (a Go `%q` slice, as CMD, ENTRYPOINT and HEALTHCHECK are printed) → its strings.
    static func quotedList(_ text: Substring) -> (values: [String], rest: Substring)? {
        var rest = text.drop { $0 == " " }
        guard rest.first == "[" else { return nil }
        rest = rest.dropFirst()
        var values: [String] = []
        while true {
            rest = rest.drop { $0 == " " || $0 == "," }
            if rest.first == "]" { return (values, rest.dropFirst()) }
            guard let (value, after) = quotedString(rest) else { return nil }
            values.append(value)
            rest = after
        }
    }

    /// `[/data /logs]` (a Go `%v` slice of strings) → its words.
    static func bareList(_ text: Substring) -> [String]? {
        let trimmed = text.trimmingSpaces()
        guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else { return nil }
        return trimmed.dropFirst().dropLast().split(separator: " ").map(String.init)
    }

    /// `map[22/tcp:{} 80/tcp:{}]` → the keys.
    static func mapKeys(_ text: Substring) -> [String]? {
        let trimmed = text.trimmingSpaces()
        guard trimmed.hasPrefix("map["), trimmed.hasSuffix("]") else { return nil }
        return trimmed.dropFirst(4).dropLast().split(separator: " ").map { word in
            word.hasSuffix(":{}") ? String(word.dropLast(3)) : String(word)
        }
    }

    /// `&{["CMD-SHELL" "x"] "30s" "5s" "10s" '\x04'}` → the healthcheck it describes.
    static func healthcheck(_ text: Substring) -> ImageConfig.Healthcheck? {
        var rest = text.trimmingSpaces()[...]
        guard rest.hasPrefix("&{"), rest.hasSuffix("}") else { return nil }
        rest = rest.dropFirst(2).dropLast()
        guard let (test, afterTest) = quotedList(rest) else { return nil }
        rest = afterTest
        var durations: [Int64] = []
        // Newer engines add a start interval; read every quoted duration there is.
        while let (duration, after) = quotedString(rest.drop { $0 == " " }) {
            durations.append(parseDuration(duration) ?? 0)
            rest = after
        }
        var retries = 0
        let rune = rest.trimmingSpaces()
        if rune.hasPrefix("'"), rune.hasSuffix("'"), rune.count >= 3 {
            let inner = rune.dropFirst().dropLast()
            if inner.hasPrefix("\\x"), let number = Int(inner.dropFirst(2), radix: 16) {
                retries = number
            } else if inner.hasPrefix("\\u"), let number = Int(inner.dropFirst(2), radix: 16) {
                retries = number
            } else if let scalar = inner.unicodeScalars.first, inner.unicodeScalars.count == 1 {
                retries = Int(scalar.value)
            }
        } else if let number = Int(rune) {
            retries = number
        }
        var check = ImageConfig.Healthcheck(test: test)
        check.interval = durations.count > 0 ? durations[0] : 0
        check.timeout = durations.count > 1 ? durations[1] : 0
        check.startPeriod = durations.count > 2 ? durations[2] : 0
        check.retries = retries
        return check
    }

    /// A Go duration (`1m30s`, `500ms`, `0s`) in nanoseconds; nil for what Go refuses, and for negative ones.
    static func parseDuration(_ text: String) -> Int64? {
        guard case .success(let nanoseconds) = GoDuration.parse(text), nanoseconds >= 0 else { return nil }
        return nanoseconds
    }

    /// Nanoseconds as a Dockerfile duration flag value (`30s`, `1m30s`, `500ms`).
    static func formatDuration(_ nanoseconds: Int64) -> String {
        if nanoseconds % 1_000_000_000 != 0 { return "\(nanoseconds / 1_000_000)ms" }
        var seconds = nanoseconds / 1_000_000_000
        var text = ""
        if seconds >= 3600 { text += "\(seconds / 3600)h"; seconds %= 3600 }
        if seconds >= 60 { text += "\(seconds / 60)m"; seconds %= 60 }
        if seconds > 0 || text.isEmpty { text += "\(seconds)s" }
        return text
    }
}
