import FoundationEssentials

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
            if path != "-" && isDirectory(path) == true {
                guard let subpaths = try? FileManager.default.subpathsOfDirectory(atPath: path) else {
                    throw UsageError(message: "\(path): cannot be read")
                }
                var found: [String] = []
                for relative in subpaths {
                    let components = relative.split(separator: "/")
                    if components.contains(where: { $0 == ".git" || $0 == ".build" || $0 == "node_modules" }) { continue }
                    if let last = components.last, isDockerfileName(String(last)) {
                        let full = path.hasSuffix("/") ? path + relative : path + "/" + relative
                        if isDirectory(full) == false {
                            found.append(full)
                        }
                    }
                }
                guard !found.isEmpty else {
                    throw UsageError(message: "\(path) holds no Dockerfile (Dockerfile, Containerfile, *.Dockerfile, *.dockerfile, Dockerfile.*)")
                }
                result.append(contentsOf: found.sorted())
            } else {
                result.append(path)
            }
        }
        return result
    }
}
