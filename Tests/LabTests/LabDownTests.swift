import Foundation
import Support
import Testing
@testable import Lab

/// A stub engine client: `ps` lists two of the lab's containers and a stranger's, `inspect` says whose each is
/// (the stranger's label names the lab with a forged line), removing the first one fails.
private func stubEngine(in folder: URL) throws -> String {
    let a = String(repeating: "a", count: 64), b = String(repeating: "b", count: 64), c = String(repeating: "c", count: 64)
    func container(_ id: String, _ name: String, lab: String, member: String) -> String {
        "{\"Id\":\"\(id)\",\"Name\":\"/\(name)\",\"State\":{\"Status\":\"exited\"},\"Config\":{\"Labels\":{\"dockerkit.lab\":\"\(lab)\",\"dockerkit.lab.member\":\"\(member)\"}}}"
    }
    let inspect = "[" + [container(a, "l-ann", lab: "l", member: "ann"), container(b, "l-ben", lab: "l", member: "ben"),
                         container(c, "other", lab: "l\\nl-ann\\tann", member: "ann")].joined(separator: ",") + "]"
    let script = """
        #!/bin/sh
        case "$1" in
          ps) printf '%s\\n%s\\n%s\\n' \(a) \(b) \(c) ;;
          container) printf '%s\\n' '\(inspect)' ;;
          rm) case "$3" in \(a)) echo "Error: cannot remove: device busy" >&2; exit 1 ;; esac; echo "$@" >> "\(folder.path)/removed" ;;
          network) exit 1 ;;
          *) exit 0 ;;
        esac

        """
    let path = folder.appendingPathComponent("docker").path
    try Data(script.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    return path
}

@Test func downGoesOnPastAnEngineErrorAndTouchesOnlyTheLabsContainers() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dockerkit-down-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let engine = try stubEngine(in: folder)
    let definition = try readLab("name: l\nimage: {ref: local/lab:1}\nmembers:\n  - {name: ann, key: keys/ann.pub}\n  - {name: ben, key: keys/ben.pub}\n")
    let operations = LabOperations(engine: engine, admin: "test", report: { _ in }, buildProgress: { _ in })
    let failed = try operations.down(definition, members: [])
    #expect(failed.map(\.name) == ["ann"])
    #expect(failed.first?.reason.contains("device busy") == true)
    let removed = try String(contentsOf: folder.appendingPathComponent("removed"), encoding: .utf8)
    #expect(removed.contains(String(repeating: "b", count: 64)))
    #expect(!removed.contains(String(repeating: "c", count: 64)), "a container whose labels only pretend to be the lab's was removed")
}
