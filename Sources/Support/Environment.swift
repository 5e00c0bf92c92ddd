#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands `body` each of the process's environment variables named one of `names` or starting with one of `prefixes`,
/// in `environ`'s order, read straight from `environ`: Foundation's `environment` builds a dictionary of every
/// variable, a noticeable part of a one-file lint. Names are compared as bytes, and only the variables kept become
/// strings (a shell's environment holds dozens, and PATH-like values are long). A closure rather than an array of
/// pairs: an array of tuples makes the runtime build its type at start-up, and the caller's module makes the
/// dictionary, so that this module asks the runtime for no hashed type either.
package func forEachEnvironmentVariable(named names: [String], prefixedBy prefixes: [String] = [], _ body: (_ name: String, _ value: String) -> Void) {
    var entry = environ
    while let pointer = entry.pointee {
        entry += 1
        guard let equals = strchr(pointer, 0x3D) else { continue }
        let name = UnsafeRawBufferPointer(start: pointer, count: pointer.distance(to: equals))
        let isKept = names.contains { $0.utf8.count == name.count && $0.utf8.elementsEqual(name) }
            || prefixes.contains { name.count >= $0.utf8.count && $0.utf8.elementsEqual(name.prefix($0.utf8.count)) }
        if isKept { body(String(decoding: name, as: UTF8.self), String(cString: equals + 1)) }
    }
}
