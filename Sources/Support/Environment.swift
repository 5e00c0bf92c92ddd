#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's environment variables whose names `wanted` accepts, read straight from `environ`: Foundation's
/// `environment` builds a dictionary of every variable, a noticeable part of a one-file lint. Names are found on
/// bytes, and only the values asked for become strings (PATH-like values are long). Pairs, in `environ`'s order, not
/// a dictionary: the caller's module makes the dictionary, so that this module asks the runtime for no hashed type.
package func environmentVariables(where wanted: (String) -> Bool) -> [(name: String, value: String)] {
    var result: [(name: String, value: String)] = []
    var entry = environ
    while let pointer = entry.pointee {
        entry += 1
        guard let equals = strchr(pointer, 0x3D) else { continue }
        let nameLength = pointer.distance(to: equals)
        let name = pointer.withMemoryRebound(to: UInt8.self, capacity: nameLength) {
            String(decoding: UnsafeBufferPointer(start: $0, count: nameLength), as: UTF8.self)
        }
        if wanted(name) { result.append((name, String(cString: equals + 1))) }
    }
    return result
}
