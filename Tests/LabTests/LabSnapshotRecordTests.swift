import Foundation
import Support
import Testing
@testable import Lab

/// Snapshot records are files dockerkit wrote earlier; `restore --image` runs the image one names, so a record is
/// read like user input.
@Suite struct LabSnapshotRecordTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("dk-snapshot-records-\(UUID().uuidString)").path

    func definition() throws -> LabDefinition {
        try FileManager.default.createDirectory(atPath: folder + "/snapshots", withIntermediateDirectories: true)
        let text = "name: lab1\nimage: {ref: lab1/img:1}\nmembers:\n  - {name: ann, key: keys/ann.pub}\n"
        return try LabDefinitionReader.read(text, path: folder + "/lab.yaml", directory: folder, readFile: { _ in Array((aliceKey + "\n").utf8) })
    }

    func writeRecord(image: String) throws {
        let record = "{\"name\":\"ann-20261207T093000Z\",\"member\":\"ann\",\"created\":\"2026-12-07T09:30:00Z\","
            + "\"archive\":\"ann-20261207T093000Z.tar.gz\",\"bytes\":10,\"image\":\(image)}\n"
        try record.write(toFile: folder + "/snapshots/ann-20261207T093000Z.json", atomically: true, encoding: .utf8)
    }

    var operations: LabOperations { LabOperations(engine: nil, admin: "test", report: { _ in }, buildProgress: { _ in }) }

    @Test func aRecordWithTheSnapshotsOwnImageIsRead() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lab = try definition()
        try writeRecord(image: "\"lab1/ann:snapshot-20261207t093000z\"")
        #expect(try operations.snapshots(lab).map(\.image) == ["lab1/ann:snapshot-20261207t093000z"])
    }

    @Test func aRecordNamingAnotherImageIsRefused() throws {
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let lab = try definition()
        try writeRecord(image: "\"evil/root:latest\"")
        #expect(throws: InputError.self) { try operations.snapshots(lab) }
    }
}
