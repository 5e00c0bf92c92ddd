import FoundationEssentials
import Engine
import Support

/// A container as the engine reports it, read from `inspect` JSON (never from text a label could forge).
package struct ObservedContainer: Sendable {
    package let id: String
    package let name: String
    package let labels: [String: String]
    /// `created`, `running`, `restarting`, `exited`, `paused`, `dead`.
    package let status: String
    package let exitCode: Int?
    package let oomKilled: Bool
    /// The engine's error for a container that could not start (a missing runtime, a mount that failed).
    package let error: String?
    package let restartCount: Int
    /// Seconds since 1970.
    package let startedAt: Int?
    package let health: String?

    package var lab: String? { labels[LabContainerSpec.labLabel] }
    package var member: String? { labels[LabContainerSpec.memberLabel] }

    static func parse(_ value: JSONValue) -> ObservedContainer? {
        guard let id = value["Id"]?.string else { return nil }
        var labels: [String: String] = [:]
        for (key, label) in value["Config"]?["Labels"]?.members ?? [] { labels[key] = label.string ?? "" }
        let state = value["State"]
        var name = value["Name"]?.string ?? id
        if name.hasPrefix("/") { name.removeFirst() }
        let error = state?["Error"]?.string ?? ""
        return ObservedContainer(
            id: id, name: name, labels: labels, status: state?["Status"]?.string ?? "unknown",
            exitCode: state?["ExitCode"]?.integer.flatMap { Int(exactly: $0) }, oomKilled: state?["OOMKilled"]?.bool ?? false,
            error: error.isEmpty ? nil : error, restartCount: value["RestartCount"]?.integer.flatMap { Int(exactly: $0) } ?? 0,
            startedAt: state?["StartedAt"]?.string.flatMap(secondsSince1970), health: state?["Health"]?["Status"]?.string)
    }
}

/// An image as the engine has it: its ID and labels.
package struct ObservedImage: Sendable {
    package let id: String
    package let labels: [String: String]
}

/// The engine operations a lab needs, each one engine call; reports nothing, prints nothing.
package struct LabEngine: Sendable {
    package let client: EngineClient
    /// The client named with `--engine`, if any: builds choose theirs by ``EngineBuilder``'s rule.
    private let engineOption: String?

    package init(engine: String?) {
        client = EngineClient(engine: engine)
        engineOption = engine
    }

    /// The image, or nil when the engine does not have it.
    package func image(_ reference: String) throws(InputError) -> ObservedImage? {
        let output: [UInt8]
        do {
            output = try client.run(["image", "inspect", reference], image: reference)
        } catch {
            if error.message.contains("not found in the engine's local images") { return nil }
            throw error
        }
        guard let document = try? JSONValue.parse(output), let first = document.array?.first, let id = first["Id"]?.string else {
            throw InputError(source: reference, message: "the engine's image inspect output is not the JSON expected")
        }
        var labels: [String: String] = [:]
        for (key, label) in first["Config"]?["Labels"]?.members ?? [] { labels[key] = label.string ?? "" }
        return ObservedImage(id: id, labels: labels)
    }

    /// Builds the folder `directory` (with its `Dockerfile`, or `dockerfile`) as `tag` with `labels`, the engine's
    /// progress going to `progress`; `note` is told how the client was chosen when that is worth saying (the classic
    /// builder, or a later docker on PATH).
    package func build(_ directory: String, dockerfile: String? = nil, tag: String, labels: [String: String],
                       progress: @escaping @Sendable (ArraySlice<UInt8>) -> Void, note: (String) -> Void) throws(InputError) {
        // Host networking lets the build reach the package mirrors on engines without a bridge.
        var arguments = ["build", "--network", "host", "--tag", tag]
        if let dockerfile { arguments += ["--file", dockerfile] }
        for (key, value) in labels.sorted(by: { $0.key < $1.key }) { arguments += ["--label", "\(key)=\(value)"] }
        arguments.append(directory)
        let builder = try EngineBuilder.choose(engine: engineOption)
        if let text = builder.note { note(text) }
        let outcome = try builder.build(arguments, output: .stream(progress), errorOutput: .stream(progress))
        guard outcome.status == 0 else {
            throw InputError(source: tag, message: "the image did not build (the engine's output is above)")
        }
    }

    /// The container of this name, or nil when there is none.
    package func container(named name: String) throws(InputError) -> ObservedContainer? {
        let output: [UInt8]
        do {
            output = try client.run(["container", "inspect", name])
        } catch {
            let message = error.message.lowercased()
            if message.contains("no such container") || message.contains("no such object") { return nil }
            throw error
        }
        guard let document = try? JSONValue.parse(output), let first = document.array?.first, let container = ObservedContainer.parse(first) else {
            throw InputError(source: name, message: "the engine's inspect output is not the JSON expected")
        }
        return container
    }

    /// Every container whose labels name the lab `labName` exactly: listed by id (hex, which no label can forge),
    /// then inspected and checked label by label.
    package func containers(ofLab labName: String) throws(InputError) -> [ObservedContainer] {
        let listing = try client.run(["ps", "--all", "--no-trunc", "--quiet", "--filter", "label=\(LabContainerSpec.labLabel)=\(labName)"])
        let ids = String(decoding: listing, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init)
            .filter { !$0.isEmpty && $0.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) } }
        guard !ids.isEmpty else { return [] }
        let output = try client.run(["container", "inspect"] + ids)
        guard let document = try? JSONValue.parse(output), let items = document.array else {
            throw InputError(source: client.executable, message: "the engine's inspect output is not the JSON expected")
        }
        return items.compactMap(ObservedContainer.parse).filter { $0.lab == labName && $0.member.map(isUserName) == true }
    }

    /// The last `count` lines the container printed (both streams), for saying why it is not running.
    package func lastLogLines(_ container: String, count: Int) -> [String] {
        guard let path = client.resolvedPath(),
              let result = try? ChildProcess.run(path, arguments: ["logs", "--tail", String(count), container]), result.status == 0 else { return [] }
        let text = String(decoding: result.output + result.errorOutput, as: UTF8.self)
        return text.split(whereSeparator: \.isNewline).suffix(count).map { String($0).escapingControlCharacters(keepingTabs: true) }
    }

    /// Makes the member's own network when missing, labelled as the lab's; a network of that name that is not this
    /// member's is an error.
    package func ensureNetwork(_ name: String, lab: String, member: String) throws(InputError) -> Bool {
        do throws(InputError) {
            let output = try client.run(["network", "inspect", name])
            guard let document = try? JSONValue.parse(output), let first = document.array?.first else {
                throw InputError(source: name, message: "the engine's network inspect output is not the JSON expected")
            }
            let labels = first["Labels"]
            guard labels?[LabContainerSpec.labLabel]?.string == lab, labels?[LabContainerSpec.memberLabel]?.string == member else {
                throw InputError(source: name, message: "a network with this name exists and is not \(lab)'s member \(member)'s; rename or remove it")
            }
            return false
        } catch {
            let message = error.message.lowercased()
            guard message.contains("no such network") || message.contains("not found") else { throw error }
        }
        _ = try client.run(["network", "create", "--driver", "bridge", "--label", "\(LabContainerSpec.labLabel)=\(lab)",
                            "--label", "\(LabContainerSpec.memberLabel)=\(member)", name])
        return true
    }

    /// Removes the member's network when it is there and labelled as theirs.
    package func removeNetwork(_ name: String, lab: String, member: String) throws(InputError) {
        let output: [UInt8]
        do {
            output = try client.run(["network", "inspect", name])
        } catch {
            return
        }
        guard let document = try? JSONValue.parse(output), let first = document.array?.first,
              first["Labels"]?[LabContainerSpec.labLabel]?.string == lab, first["Labels"]?[LabContainerSpec.memberLabel]?.string == member else { return }
        _ = try client.run(["network", "rm", name])
    }

    package func create(_ spec: LabContainerSpec, image: String) throws(InputError) {
        _ = try client.run(["create"] + spec.arguments, image: image)
    }

    package func start(_ container: String) throws(InputError) {
        _ = try client.run(["start", container])
    }

    /// Stops (10 s to finish) and removes a container.
    package func remove(_ container: String) throws(InputError) {
        _ = try client.run(["rm", "--force", container])
    }

    package func stop(_ container: String) throws(InputError) {
        _ = try client.run(["stop", "--time", "10", container])
    }

    /// Runs `command` once in a throwaway container of `image` with `folder` mounted at `/out`, as root, without
    /// a network: how host keys are made with the image's own ssh-keygen.
    package func runOnce(image: String, folder: String, command: [String]) throws(InputError) {
        _ = try client.run(["run", "--rm", "--network", "none", "--user", "0", "--entrypoint", command[0],
                            "--mount", LabContainerSpec.mountField(source: folder, target: "/out", readOnly: false), image]
                           + command.dropFirst(), image: image)
    }
}

/// An engine stamp as seconds since 1970; nil for the zero time of a container that never started.
func secondsSince1970(_ text: String) -> Int? {
    guard let time = UTCTime(rfc3339: text), time.year >= 1970 else { return nil }
    return time.secondsSince1970
}
