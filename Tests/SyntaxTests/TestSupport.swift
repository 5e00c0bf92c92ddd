import DockerfileSyntax
import Foundation

/// Parses text for tests.
func parse(_ text: String) -> DockerfileSyntaxTree {
    DockerfileParser.parse(text)
}

/// The repository root, found from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared` (or `$DOCKERKIT_SHARED`) when present; tests that need it skip with a printed line otherwise.
func sharedDirectory() -> URL? {
    let path = ProcessInfo.processInfo.environment["DOCKERKIT_SHARED"]
        ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else {
        print("skip: shared data not found at \(path) (set DOCKERKIT_SHARED)")
        return nil
    }
    return URL(fileURLWithPath: path)
}

func files(under directory: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    return enumerator.compactMap { $0 as? URL }
        .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        .sorted { $0.path < $1.path }
}
