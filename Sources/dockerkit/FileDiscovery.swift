import Foundation

/// Finds Dockerfiles: the names the directory search and the pre-commit hook match.
enum FileDiscovery {
    static func isDockerfileName(_ name: String) -> Bool {
        let lower = name.lowercased()
        return lower == "dockerfile" || lower == "containerfile" || lower.hasSuffix(".dockerfile")
            || lower.hasPrefix("dockerfile.") || lower.hasPrefix("containerfile.")
    }

    /// Expands directories into the Dockerfiles below them (sorted); files are kept as given.
    static func expand(_ paths: [String]) throws(UsageError) -> [String] {
        var result: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            if path != "-" && FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue {
                guard let enumerator = FileManager.default.enumerator(atPath: path) else {
                    throw UsageError(message: "\(path): cannot be read")
                }
                var found: [String] = []
                while let relative = enumerator.nextObject() as? String {
                    let components = relative.split(separator: "/")
                    if components.contains(where: { $0 == ".git" || $0 == ".build" || $0 == "node_modules" }) { continue }
                    if let last = components.last, isDockerfileName(String(last)) {
                        let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                        var isSubdirectory: ObjCBool = false
                        if FileManager.default.fileExists(atPath: full, isDirectory: &isSubdirectory), !isSubdirectory.boolValue {
                            found.append(full)
                        }
                    }
                }
                result.append(contentsOf: found.sorted())
            } else {
                result.append(path)
            }
        }
        return result
    }
}
