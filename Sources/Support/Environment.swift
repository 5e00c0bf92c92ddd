#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's environment variables whose names `wanted` accepts, read straight from `environ`: Foundation's
/// `environment` builds a dictionary of every variable, a noticeable part of a one-file lint.
package func environmentVariables(where wanted: (Substring) -> Bool) -> [String: String] {
    var result: [String: String] = [:]
    var entry = environ
    while let pointer = entry.pointee {
        let text = String(cString: pointer)
        if let equals = text.firstIndex(of: "="), wanted(text[..<equals]) {
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        entry += 1
    }
    return result
}
