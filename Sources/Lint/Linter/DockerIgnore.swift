import Support
/// `.dockerignore` patterns, matched as BuildKit's context transfer does: last matching pattern wins, `!` re-includes,
/// `*` and `?` stay within a path segment, `**` spans segments, and a pattern that matches a directory matches
/// everything under it.
public struct DockerIgnore: Sendable {
    struct Pattern: Sendable {
        let text: [Character]
        let isExclusion: Bool
    }

    let patterns: [Pattern]

    public init(_ contents: String) {
        var patterns: [Pattern] = []
        for rawLine in contents.split(whereSeparator: { $0 == "\n" || $0 == "\r" }) {
            var line = rawLine.trimming(" ")
            if line.isEmpty || line.hasPrefix("#") { continue }
            var exclusion = false
            if line.hasPrefix("!") {
                exclusion = true
                line = String(line.dropFirst()).trimming(" ")
            }
            let cleaned = DockerIgnore.clean(line)
            if !cleaned.isEmpty { patterns.append(Pattern(text: Array(cleaned), isExclusion: exclusion)) }
        }
        self.patterns = patterns
    }

    /// Path cleaning as Go's filepath.Clean, relative to the context root.
    static func clean(_ path: String) -> String {
        FilePath.cleanComponents(path).joined(separator: "/")
    }

    /// Whether a context path is excluded.
    public func excludes(_ path: String) -> Bool {
        let cleaned = DockerIgnore.clean(path)
        guard !cleaned.isEmpty else { return false }
        var prefixes: [String] = []
        var current = ""
        for part in cleaned.split(separator: "/") {
            current = current.isEmpty ? String(part) : current + "/" + part
            prefixes.append(current)
        }
        var excluded = false
        for pattern in patterns where prefixes.contains(where: { DockerIgnore.matches(pattern.text, Array($0)) }) {
            excluded = !pattern.isExclusion
        }
        return excluded
    }

    static func matches(_ pattern: [Character], _ path: [Character]) -> Bool {
        var memo: [Int: Bool] = [:]
        func match(_ p: Int, _ s: Int) -> Bool {
            let key = p &* (path.count + 1) &+ s
            if let known = memo[key] { return known }
            var result = false
            if p == pattern.count {
                result = s == path.count
            } else if pattern[p] == "*" && p + 1 < pattern.count && pattern[p + 1] == "*" {
                var next = p + 2
                if next < pattern.count && pattern[next] == "/" {
                    next += 1
                    // `**/` may match no directory at all.
                    if match(next, s) { result = true }
                }
                if !result {
                    var end = s
                    while end <= path.count {
                        if match(next, end) { result = true; break }
                        end += 1
                    }
                }
            } else if pattern[p] == "*" {
                var end = s
                while true {
                    if match(p + 1, end) { result = true; break }
                    if end == path.count || path[end] == "/" { break }
                    end += 1
                }
            } else if s < path.count {
                if pattern[p] == "?" {
                    result = path[s] != "/" && match(p + 1, s + 1)
                } else if pattern[p] == "\\" && p + 1 < pattern.count {
                    result = pattern[p + 1] == path[s] && match(p + 2, s + 1)
                } else {
                    result = pattern[p] == path[s] && match(p + 1, s + 1)
                }
            }
            memo[key] = result
            return result
        }
        return match(0, 0)
    }
}
