import Engine
import Support

/// One path a container changed against its image, as the engine's diff reports it.
package struct FilesystemChange: Sendable, Equatable {
    package enum Kind: Sendable, Equatable { case changed, added, deleted }

    package let kind: Kind
    /// Without the leading slash, as tar members name it.
    package let path: String

    package init(_ kind: Kind, _ path: String) {
        self.kind = kind
        self.path = TarArchive.normalized(path)
    }
}

/// A container as `reverse --container` reads it: its image, its mounts and what it changed.
package struct ContainerSource: Sendable {
    package let name: String
    package let id: String
    /// The image it was created from, as it was named (`local/debian:12`).
    package let image: String
    package let imageID: String
    /// Where volumes and bind mounts are (normalised): their contents are not the container's.
    package let mounts: [String]
    package let changes: [FilesystemChange]
}

extension EngineClient {
    /// The container `name` (or ID): its image, mounts and changes. A container that does not exist, or whose image
    /// the engine no longer has, is an error that says so.
    package func container(_ name: String) throws(InputError) -> ContainerSource {
        let missing = "no container named \(name.escapingControlCharacters()) (docker ps -a lists them)"
        let object: JSONValue
        if let api {
            let body = try api.get("/containers/\(EngineAPI.escaped(name))/json", notFound: missing)
            guard let parsed = try? JSONValue.parse(body) else { throw InputError(source: name, message: "the engine's description of the container does not read") }
            object = parsed
        } else {
            do throws(InputError) {
                let body = try run(["container", "inspect", name])
                guard let parsed = (try? JSONValue.parse(body))?.array?.first else { throw InputError(source: name, message: missing) }
                object = parsed
            } catch {
                throw error.message.contains("No such") || error.message.contains("no such") ? InputError(source: name, message: missing) : error
            }
        }
        guard let id = object["Id"]?.string, let imageID = object["Image"]?.string else {
            throw InputError(source: name, message: "the engine's description of the container has no Id or Image")
        }
        let image = object["Config"]?["Image"]?.string ?? imageID
        // FROM names the image as the container was made from it: that name must still be this image.
        guard inspectObjects([image]).first?["Id"]?.string == imageID else {
            throw InputError(source: name, message: "the container's image \(image.escapingControlCharacters()) was removed (or now names another image); "
                + "the container runs \(imageID), which a Dockerfile cannot name: tag it again (docker tag \(imageID.dropFirst("sha256:".count).prefix(12)) \(image.escapingControlCharacters()))")
        }
        let mounts = (object["Mounts"]?.array ?? []).compactMap { $0["Destination"]?.string }.map(TarArchive.normalized)
        return ContainerSource(name: name, id: id, image: image, imageID: imageID, mounts: mounts, changes: try changes(ofContainer: id))
    }

    /// What the container changed against its image (`docker diff`).
    func changes(ofContainer id: String) throws(InputError) -> [FilesystemChange] {
        if let api {
            let body = try api.get("/containers/\(EngineAPI.escaped(id))/changes")
            return ((try? JSONValue.parse(body))?.array ?? []).compactMap { item in
                guard let path = item["Path"]?.string, let kind = item["Kind"]?.integer else { return nil }
                return FilesystemChange(kind == 1 ? .added : kind == 2 ? .deleted : .changed, path)
            }
        }
        let text = String(decoding: try run(["diff", id]), as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).compactMap { line in
            guard line.count > 2, let kind = line.first else { return nil }
            let path = String(line.dropFirst(2))
            return FilesystemChange(kind == "A" ? .added : kind == "D" ? .deleted : .changed, path)
        }
    }

    /// The container's whole filesystem as a tar (`docker export`), in a temporary file read by offset.
    package func export(container id: String) throws(InputError) -> OpenFile {
        try temporaryOutput(of: { ["export", "-o", $0, id] }, source: "\(executable) export \(id)")
    }

    /// An image's filesystem as a tar: exported from a container created from it (never started) and removed again.
    package func export(image: String) throws(InputError) -> OpenFile {
        let created = String(decoding: try run(["create", image, "/dockerkit-never-runs"], image: image), as: UTF8.self).trimmingWhitespace()
        defer { _ = try? run(["rm", "-f", created]) }
        return try export(container: created)
    }

    /// Regular files of an image by path (those it has), read through a container created from it.
    package func files(_ paths: [String], ofImage image: String, limit: Int = 64 << 20) throws(InputError) -> [String: [UInt8]] {
        let created = String(decoding: try run(["create", image, "/dockerkit-never-runs"], image: image), as: UTF8.self).trimmingWhitespace()
        defer { _ = try? run(["rm", "-f", created]) }
        var found: [String: [UInt8]] = [:]
        for path in paths {
            guard let tar = try? run(["cp", "\(created):/\(path)", "-"]) else { continue }
            var reader = TarReader(StoreRegionStream.whole(.memory(tar), source: path), source: path)
            while let entry = try reader.next() {
                guard entry.isRegularFile else { continue }
                found[path] = try reader.readAllContent(limit: limit)
                break
            }
        }
        return found
    }
}
