import DockerfileSyntax
import Foundation

/// Parses text for tests.
func parse(_ text: String) -> DockerfileSyntaxTree {
    DockerfileParser.parse(text)
}

/// The repository root, found from this file's path.
private let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// `../shared` (or `$DOCKERKIT_SHARED`) when it holds the public corpus; tests that need it are skipped without it.
let sharedDirectory: URL? = {
    let path = ProcessInfo.processInfo.environment["DOCKERKIT_SHARED"] ?? repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared").path
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path + "/corpus/real", isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
    return URL(fileURLWithPath: path)
}()

/// The corpus kept in the repository.
let ownCorpus = repositoryRoot.appendingPathComponent("Tests/Corpus")

/// Regular files under `directory`, sorted.
func files(under directory: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
    return enumerator.compactMap { $0 as? URL }
        .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
        .sorted { $0.path < $1.path }
}
