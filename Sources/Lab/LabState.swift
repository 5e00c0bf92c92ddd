import Knowledge
import Support

/// What a lab's state file records: the uid, ports and GPUs each member was given, so they never move, and the
/// members who left, whose uid and ports stay reserved until `lab forget`.
package struct LabState: Sendable, Equatable {
    package struct Member: Sendable, Equatable {
        package var ports: [LabService: Int]
        package var gpus: [String]
        package var uid: Int
        /// The day (`YYYY-MM-DD`, UTC) the member was taken out of the lab file; nil while they are in it.
        package var departed: String?
        /// The day `lab reclaim` took the member's idle GPUs back; they run without until `lab up MEMBER`.
        package var reclaimed: String?
        /// An image the member runs instead of the lab's (a snapshot's, from `lab restore --image`) until `lab up MEMBER`.
        package var image: String?

        package init(ports: [LabService: Int], gpus: [String], uid: Int, departed: String? = nil, reclaimed: String? = nil, image: String? = nil) {
            self.ports = ports
            self.gpus = gpus
            self.uid = uid
            self.departed = departed
            self.reclaimed = reclaimed
            self.image = image
        }
    }

    package var members: [String: Member]

    package init(members: [String: Member] = [:]) {
        self.members = members
    }

    /// The most a state file may hold: far more than any lab writes, little enough to read whole.
    package static let sizeLimit = 16 << 20
    /// The uids members may have: below are system accounts, above are the ranges container runtimes map.
    package static let uidRange = 1000...60000

    /// Reads a state file of the lab `labName`; every value is checked as lab.yaml's are, and errors name the
    /// place in the file.
    package static func decode(_ bytes: [UInt8], path: String, labName: String) throws(InputError) -> LabState {
        func failure(_ message: String, near needle: String? = nil, offset: Int? = nil) -> InputError {
            let at = offset ?? needle.flatMap { firstOffset(of: Array($0.utf8), in: bytes) } ?? 0
            let (line, column) = lineAndColumn(of: at, in: bytes)
            return InputError(source: path, line: line, column: column,
                              message: "\(message); fix it (or move the file away to give everyone new uids and ports)")
        }
        let document: JSONValue
        do {
            document = try JSONValue.parse(bytes)
        } catch {
            throw failure("not JSON (\(error.message))", offset: error.offset)
        }
        guard document.members != nil else { throw failure("expected a JSON object") }
        if let recorded = document["lab"] {
            guard let name = recorded.string else { throw failure("\"lab\" is not a string", near: "\"lab\"") }
            guard name == labName else {
                throw failure("this state belongs to the lab '\(name.escapingControlCharacters())', not '\(labName)'", near: "\"lab\"")
            }
        }
        guard let entries = document["members"]?.members else { throw failure("no \"members\" object", near: "\"members\"") }
        var members: [String: Member] = [:]
        var uids: [Int: String] = [:]
        var ports: [Int: String] = [:]
        for (name, value) in entries {
            let shown = name.escapingControlCharacters()
            let near = JSONWriter.quoted(name)
            guard isUserName(name) else { throw failure("member '\(shown)' is not a valid user name", near: near) }
            guard members[name] == nil else { throw failure("member \(shown) is recorded twice", near: near) }
            guard value.members != nil else { throw failure("member \(shown): expected an object", near: near) }
            guard let uid = value["uid"]?.integer, let checked = Int(exactly: uid), uidRange.contains(checked) else {
                throw failure("member \(shown): \"uid\" must be a number from \(uidRange.lowerBound) to \(uidRange.upperBound)", near: near)
            }
            if let other = uids[checked] { throw failure("member \(shown): uid \(checked) is also \(other)'s", near: near) }
            uids[checked] = name
            guard let portEntries = value["ports"]?.members else { throw failure("member \(shown): \"ports\" must be an object", near: near) }
            var memberPorts: [LabService: Int] = [:]
            for (service, port) in portEntries {
                guard let known = LabService(rawValue: service) else {
                    throw failure("member \(shown): unknown service '\(service.escapingControlCharacters())' (ssh, novnc, jupyter)", near: near)
                }
                guard let number = port.integer, let checkedPort = Int(exactly: number), (1...65535).contains(checkedPort) else {
                    throw failure("member \(shown): the \(service) port must be a number from 1 to 65535", near: near)
                }
                if let other = ports[checkedPort] { throw failure("member \(shown): port \(checkedPort) is also \(other)'s", near: near) }
                ports[checkedPort] = name
                memberPorts[known] = checkedPort
            }
            var gpus: [String] = []
            if let gpuValue = value["gpus"] {
                guard let list = gpuValue.strings, list.allSatisfy(isGPUName), Set(list).count == list.count else {
                    throw failure("member \(shown): \"gpus\" must be a list of distinct GPU indexes or UUIDs", near: near)
                }
                gpus = list
            }
            var departed: String?
            if let day = value["departed"], day != .null {
                guard let text = day.string, isDay(text) else {
                    throw failure("member \(shown): \"departed\" must be a day like 2026-12-07", near: near)
                }
                departed = text
            }
            var reclaimed: String?
            if let day = value["reclaimed"], day != .null {
                guard let text = day.string, isDay(text) else {
                    throw failure("member \(shown): \"reclaimed\" must be a day like 2026-12-07", near: near)
                }
                reclaimed = text
            }
            var image: String?
            if let value = value["image"], value != .null {
                guard let text = value.string, ImageReferenceGrammar.isValid(text) else {
                    throw failure("member \(shown): \"image\" must be an image reference", near: near)
                }
                image = text
            }
            members[name] = Member(ports: memberPorts, gpus: gpus, uid: checked, departed: departed, reclaimed: reclaimed, image: image)
        }
        return LabState(members: members)
    }

    /// The file's text: one member a line, sorted, so changes read well in a diff.
    package func encoded(labName: String) -> String {
        var text = "{\n  \"lab\": \(JSONWriter.quoted(labName)),\n  \"members\": {"
        for (index, name) in members.keys.sorted().enumerated() {
            guard let member = members[name] else { continue }
            var writer = JSONWriter()
            writer.beginObject()
            writer.key("uid")
            writer.number(member.uid)
            writer.key("gpus")
            writer.stringArray(member.gpus)
            writer.key("ports")
            writer.beginObject()
            for service in LabService.allCases {
                guard let port = member.ports[service] else { continue }
                writer.key(service.rawValue)
                writer.number(port)
            }
            writer.endObject()
            if let departed = member.departed {
                writer.key("departed")
                writer.string(departed)
            }
            if let reclaimed = member.reclaimed {
                writer.key("reclaimed")
                writer.string(reclaimed)
            }
            if let image = member.image {
                writer.key("image")
                writer.string(image)
            }
            writer.endObject()
            text += (index == 0 ? "\n" : ",\n") + "    \(JSONWriter.quoted(name)): \(writer.output)"
        }
        text += members.isEmpty ? "}\n}\n" : "\n  }\n}\n"
        return text
    }
}

/// `YYYY-MM-DD` with a month and day that can be.
func isDay(_ text: String) -> Bool {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
          parts.allSatisfy({ $0.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") } }),
          let month = Int(parts[1]), let day = Int(parts[2]) else { return false }
    return (1...12).contains(month) && (1...31).contains(day)
}

private func firstOffset(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
    needle.withUnsafeBufferPointer { pattern in bytes.withUnsafeBufferPointer { ByteSearch.firstOffset(of: pattern, in: $0) } }
}

/// 1-based line and column (in bytes) of a byte offset.
private func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> (Int, Int) {
    var line = 1
    var column = 1
    for byte in bytes.prefix(max(0, min(offset, bytes.count))) {
        if byte == UInt8(ascii: "\n") {
            line += 1
            column = 1
        } else {
            column += 1
        }
    }
    return (line, column)
}
