import FoundationEssentials
import Knowledge
import Support
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// A saved copy of a member's home (a tar with owners and modes) and, optionally, of their container's changes as
/// an image.
package struct LabSnapshot: Sendable, Equatable {
    /// `MEMBER-20261207T093000Z`.
    package let name: String
    package let member: String
    /// `2026-12-07T09:30:00Z`.
    package let created: String
    /// The archive's path, absolute.
    package let archive: String
    package let bytes: Int
    /// `LAB/MEMBER:snapshot-…`, when the container was saved too.
    package let image: String?

    /// The snapshot as one JSON object; `archive` is what to write for the archive (a record names only the file).
    package func write(to writer: inout JSONWriter, archive: String) {
        writer.beginObject()
        writer.key("name")
        writer.string(name)
        writer.key("member")
        writer.string(member)
        writer.key("created")
        writer.string(created)
        writer.key("archive")
        writer.string(archive)
        writer.key("bytes")
        writer.number(bytes)
        writer.key("image")
        writer.optionalString(image)
        writer.endObject()
    }

    /// `20261207T093000Z`: a time as it stands in snapshot names, tags and set-aside homes.
    static func stamp(_ seconds: Int) -> String {
        UTCTime(secondsSince1970: seconds).rfc3339.replacingAll("-", with: "").replacingAll(":", with: "")
    }
}

extension LabDefinition {
    /// Where snapshots go: `snapshots/` beside `lab.yaml`, `NAME.snapshots/` beside another lab file.
    package var snapshotsDirectory: String {
        FilePath.appending(fileStem == "lab" ? "snapshots" : "\(fileStem).snapshots", to: directory)
    }
}

extension LabOperations {
    /// Saves `member`'s home as a compressed tar (owners and modes kept), and with `container` their container's
    /// changes as an image (`docker commit`).
    package func snapshot(_ plan: LabPlan, member name: String, container: Bool, environment: [String: String],
                          now: Int = Int(Date().timeIntervalSince1970)) throws(InputError) -> LabSnapshot {
        let definition = plan.definition
        guard let member = plan.members.first(where: { $0.name == name }) else {
            throw InputError(source: definition.path, message: "\(name) is not a member")
        }
        let time = UTCTime(secondsSince1970: now)
        let stamp = LabSnapshot.stamp(now)
        let snapshotName = "\(name)-\(stamp)"
        let folder = definition.snapshotsDirectory
        try LabFolders(report: report).makeFolder(folder, mode: 0o700, owner: nil)
        let compressor = Self.compressor(environment: environment)
        let archive = FilePath.appending("\(snapshotName).tar\(compressor.suffix)", to: folder)
        let temporary = archive + ".partial"
        guard let tar = FilePath.executable("tar", environment: environment) else { throw InputError(source: archive, message: "tar is not installed") }
        var arguments = ["--create", "--numeric-owner", "--preserve-permissions", "--file", temporary, "--directory", definition.homes, name]
        if let program = compressor.program { arguments.insert(contentsOf: ["--use-compress-program", program], at: 0) }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(tar, arguments: arguments)
        } catch {
            throw InputError(source: archive, message: "tar: \(error.message)")
        }
        guard result.status == 0 || result.status == 1 else {
            unlink(temporary)
            throw InputError(source: archive, message: "tar failed: \(String(decoding: result.errorOutput, as: UTF8.self).trimmingWhitespace().escapingControlCharacters())")
        }
        guard rename(temporary, archive) == 0 else { throw InputError(source: archive, message: "cannot move the archive into place") }
        var image: String?
        if container {
            let tag = "\(definition.name)/\(name):snapshot-\(stamp.lowercased())"
            _ = try engine.client.run(["commit", "--pause=false", member.container, tag])
            image = tag
        }
        var information = stat()
        let bytes = stat(archive, &information) == 0 ? Int(information.st_size) : 0
        let snapshot = LabSnapshot(name: snapshotName, member: name, created: time.rfc3339, archive: archive, bytes: bytes, image: image)
        try writeRecord(snapshot, folder: folder)
        LabAuditLog(path: definition.logPath, admin: admin).append(command: "snapshot", member: name, action: "snapshot",
                                                                   reason: "\(snapshotName)\(image.map { " and image \($0)" } ?? "")")
        return snapshot
    }

    /// The snapshots of the lab, oldest first (from their records in the snapshots folder).
    package func snapshots(_ definition: LabDefinition) throws(InputError) -> [LabSnapshot] {
        let folder = definition.snapshotsDirectory
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var found: [LabSnapshot] = []
        for file in names.sorted() where file.hasSuffix(".json") {
            let path = FilePath.appending(file, to: folder)
            guard case .contents(let bytes) = try readStoredFile(path, limit: 64 << 10) else { continue }
            guard let document = try? JSONValue.parse(bytes), let name = document["name"]?.string, let member = document["member"]?.string,
                  let created = document["created"]?.string, let archive = document["archive"]?.string,
                  isUserName(member), Self.isRecordName(name, member: member), !archive.contains("/"), archive.hasPrefix(name + ".tar"),
                  let image = Self.recordImage(document["image"], lab: definition.name, member: member) else {
                throw InputError(source: path, message: "not a snapshot record dockerkit wrote; move it away")
            }
            found.append(LabSnapshot(name: name, member: member, created: created.escapingControlCharacters(), archive: FilePath.appending(archive, to: folder),
                                     bytes: document["bytes"]?.integer.flatMap { Int(exactly: $0) }.map { max(0, $0) } ?? 0, image: image))
        }
        return found.sorted { $0.created < $1.created }
    }

    /// Puts `member`'s home back as `snapshot` saved it: the container stops, the current home is kept aside as
    /// `.MEMBER.before-restore-TIME` in the homes folder, the archive is unpacked, and the container starts again.
    /// With `onImage`, the member then runs on the snapshot's image (until `lab up MEMBER`).
    package func restore(_ lab: LoadedLab, member name: String, snapshot snapshotName: String, onImage: Bool = false, environment: [String: String],
                         now: Int = Int(Date().timeIntervalSince1970)) throws(InputError) -> String {
        let plan = lab.plan
        let definition = plan.definition
        guard let member = plan.members.first(where: { $0.name == name }) else { throw InputError(source: definition.path, message: "\(name) is not a member") }
        guard let snapshot = try snapshots(definition).first(where: { $0.name == snapshotName && $0.member == name }) else {
            throw InputError(source: definition.snapshotsDirectory, message: "\(name) has no snapshot \(snapshotName.escapingControlCharacters()) (`lab snapshots` lists them)")
        }
        guard let tar = FilePath.executable("tar", environment: environment) else { throw InputError(source: snapshot.archive, message: "tar is not installed") }
        if onImage {
            guard let image = snapshot.image, try engine.image(image) != nil else {
                throw InputError(source: snapshot.archive, message: "\(snapshotName) has no image to run (take one with `lab snapshot \(name) --container`)")
            }
        }
        let container = try engine.container(named: member.container)
        let wasRunning = container?.status == "running" || container?.status == "restarting"
        if let container, wasRunning { try engine.stop(container.id) }
        let stamp = LabSnapshot.stamp(now)
        var aside = FilePath.appending(".\(name).before-restore-\(stamp)", to: definition.homes)
        var information = stat()
        var attempt = 1
        while lstat(aside, &information) == 0 {
            attempt += 1
            aside = FilePath.appending(".\(name).before-restore-\(stamp)-\(attempt)", to: definition.homes)
        }
        if lstat(member.home, &information) == 0 {
            guard rename(member.home, aside) == 0 else {
                throw InputError(source: member.home, message: "cannot move the current home aside: \(String(cString: strerror(errno)))")
            }
        }
        let compressor = Self.compressor(forArchive: snapshot.archive)
        var arguments = ["--extract", "--numeric-owner", "--preserve-permissions", "--file", snapshot.archive, "--directory", definition.homes, name]
        if let program = compressor { arguments.insert(contentsOf: ["--use-compress-program", program], at: 0) }
        let result: ChildProcess.Result
        do {
            result = try ChildProcess.run(tar, arguments: arguments)
        } catch {
            _ = rename(aside, member.home)
            throw InputError(source: snapshot.archive, message: "tar: \(error.message)")
        }
        guard result.status == 0 else {
            try? FileManager.default.removeItem(atPath: member.home)
            _ = rename(aside, member.home)
            throw InputError(source: snapshot.archive, message: "tar failed, the home is as it was: \(String(decoding: result.errorOutput, as: UTF8.self).trimmingWhitespace().escapingControlCharacters())")
        }
        LabAuditLog(path: definition.logPath, admin: admin).append(command: "restore", member: name, action: "restore",
                                                                   reason: "\(snapshotName); the home before is \(aside)")
        if onImage, let image = snapshot.image {
            var state = plan.state
            state.members[name]?.image = image
            var moved = plan.members
            if let index = moved.firstIndex(where: { $0.name == name }) { moved[index].image = image }
            let onSnapshot = LoadedLab(plan: LabPlan(definition: definition, members: moved, state: state, departed: plan.departed), stateOriginal: lab.stateOriginal)
            let outcome = try up(onSnapshot, members: moved.filter { $0.name == name })
            if let failure = outcome.failed.first { throw InputError(source: image, message: "the home is restored, but \(name) did not start on the image: \(failure.reason)") }
        } else if let container, wasRunning {
            try engine.start(container.id)
        }
        return aside
    }

    private func writeRecord(_ snapshot: LabSnapshot, folder: String) throws(InputError) {
        var writer = JSONWriter()
        snapshot.write(to: &writer, archive: FilePath.lastComponent(snapshot.archive))
        do {
            try SafeFileWriter.create(Array((writer.output + "\n").utf8), at: FilePath.appending("\(snapshot.name).json", to: folder), mode: 0o600)
        } catch {
            throw InputError(source: folder, message: error.message)
        }
    }

    /// `MEMBER-` and a stamp of letters and digits: what `snapshot` names them.
    static func isRecordName(_ name: String, member: String) -> Bool {
        let stamp = name.dropFirst(member.count + 1)
        return name.hasPrefix(member + "-") && !stamp.isEmpty && stamp.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }
    }

    /// A record's image: none, or the tag `snapshot` gives (`LAB/MEMBER:snapshot-…`), which `restore --image` runs;
    /// the outer nil means the record names some other image.
    static func recordImage(_ value: JSONValue?, lab: String, member: String) -> String?? {
        guard let value, value != .null else { return .some(nil) }
        guard let text = value.string, text.hasPrefix("\(lab)/\(member):snapshot-"), ImageReferenceGrammar.isValid(text) else { return nil }
        return .some(text)
    }

    /// The best compressor the host has: zstd, else gzip, else none.
    static func compressor(environment: [String: String]) -> (program: String?, suffix: String) {
        if FilePath.executable("zstd", environment: environment) != nil { return ("zstd", ".zst") }
        if FilePath.executable("gzip", environment: environment) != nil { return ("gzip", ".gz") }
        return (nil, "")
    }

    static func compressor(forArchive path: String) -> String? {
        if path.hasSuffix(".zst") { return "zstd" }
        if path.hasSuffix(".gz") { return "gzip" }
        return nil
    }
}
