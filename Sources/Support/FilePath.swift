import FoundationEssentials
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Path text operations as NSString did them (`/` separated, trailing slashes ignored), without the full Foundation.
package enum FilePath {
    /// The last component: `b` for `a/b` and `a/b/`, `/` for `/`.
    package static func lastComponent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        if trimmed == "/" { return "/" }
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return trimmed }
        return String(trimmed[trimmed.utf8.index(after: slash)...])
    }

    /// The path without its last component: `/tmp` for `/tmp/a` and `/tmp/a/`, `/` for `/tmp`, empty for `a`.
    package static func parent(_ path: String) -> String {
        let trimmed = withoutTrailingSlashes(path)
        guard let slash = trimmed.utf8.lastIndex(of: UInt8(ascii: "/")) else { return "" }
        let head = withoutTrailingSlashes(String(trimmed[..<slash]))
        return head.isEmpty ? "/" : head
    }

    /// `component` added under `path` with one `/` between them.
    package static func appending(_ component: String, to path: String) -> String {
        if path.isEmpty { return component }
        return withoutTrailingSlashes(path) == "/" ? "/" + component : withoutTrailingSlashes(path) + "/" + component
    }

    /// The path's components with `.` and empty ones dropped and `..` taking one away (never above the start), as
    /// Go's filepath.Clean reads a path below a root: `a/./b/../c` is `a/c`, `../a` is `a`.
    package static func cleanComponents(_ path: String) -> [Substring] {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(part)
        }
        return parts
    }

    /// `path` as an absolute, clean path, relative ones read from `directory` (as COPY reads a destination from
    /// WORKDIR); a trailing `/`, `.` or `..` keeps it a folder (`/srv/`).
    package static func resolved(_ path: String, from directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        let isFolder = path.hasSuffix("/") || path == "." || path == ".." || path.hasSuffix("/.") || path.hasSuffix("/..")
        let clean = "/" + cleanComponents(joined).joined(separator: "/")
        return isFolder && clean != "/" ? clean + "/" : clean
    }

    /// Where temporary files go: `TMPDIR`, else `/tmp`.
    package static var temporaryDirectory: String {
        let value = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        return value.isEmpty ? "/tmp" : withoutTrailingSlashes(value)
    }

    private static func withoutTrailingSlashes(_ path: String) -> String {
        // By bytes: `/` is one byte in UTF-8, and reading characters here would cost every start of the binary.
        var utf8 = Substring(path).utf8
        while utf8.count > 1 && utf8.last == UInt8(ascii: "/") { utf8 = utf8.dropLast() }
        return String(Substring(utf8))
    }

    /// The program `name` as the shell would find it on `PATH` (a name with a `/` is taken as a path), when it is
    /// an executable file.
    package static func executable(_ name: String, environment: [String: String]) -> String? {
        if name.contains("/") { return access(name, X_OK) == 0 ? name : nil }
        return executables(name, environment: environment).first
    }

    /// Every executable file of that name on PATH, in PATH's order; one file reached by two directories (a
    /// symbolic link such as /bin → /usr/bin) counts once.
    package static func executables(_ name: String, environment: [String: String]) -> [String] {
        var found: [String] = []
        var seen: Set<[UInt64]> = []
        for directory in (environment["PATH"] ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            var information = stat()
            guard access(candidate, X_OK) == 0, stat(candidate, &information) == 0, information.st_mode & S_IFMT == S_IFREG else { continue }
            if seen.insert([UInt64(information.st_dev), UInt64(information.st_ino)]).inserted { found.append(candidate) }
        }
        return found
    }
}
