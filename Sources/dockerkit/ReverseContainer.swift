import Engine
import FoundationEssentials
import ImageHistory
import Support

/// `reverse --container`: what a container added to its image, as a Dockerfile (and, with `--build`, checked).
extension ReverseCommand {
    static func reverseContainer(_ name: String, options: CommandLineArguments) throws(CommandFailure) -> Int32 {
        if let other = ["--history", "--inspect", "--archive", "--base", "--base-layers"].first(where: { options.value($0) != nil }) ?? options.positional.first {
            throw CommandFailure(message: "dockerkit reverse: error: --container reads the container alone; \(other) does not go with it")
        }
        let client = EngineClient(engine: options.value("--engine"))
        let contextDirectory = options.value("--context")
        let reverse: ContainerReverse
        let written: (dockerfile: String, warnings: [String])
        do {
            reverse = try ContainerReverse(container: name, client: client)
            if let contextDirectory {
                do {
                    try FileManager.default.createDirectory(atPath: contextDirectory, withIntermediateDirectories: true)
                } catch {
                    throw InputError(source: contextDirectory, message: "cannot create the context folder")
                }
            }
            written = try reverse.write(contextDirectory: contextDirectory)
        } catch {
            throw CommandFailure(message: "\(error)")
        }
        for warning in written.warnings { StandardStreams.error("dockerkit reverse: warning: \(warning)\n") }
        if !reverse.reversal.copied.isEmpty && contextDirectory == nil {
            StandardStreams.error("dockerkit reverse: note: the COPY lines name files of a build context; give --context DIR to write them\n")
        }
        guard options.has("--build") else {
            StandardStreams.write(written.dockerfile)
            return 0
        }
        guard let directory = contextDirectory else { throw CommandFailure(message: "dockerkit reverse: error: --build needs --context DIR") }
        let repository = reverse.source.name.lowercased().filter { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        let tag = options.value("--tag") ?? "dockerkit-reverse/\(repository.isEmpty ? "container" : repository):rebuilt"
        try rebuild(written.dockerfile, in: directory, tag: tag, buildArguments: [], options: options)
        do {
            let comparison = try reverse.compare(rebuilt: tag, client: client)
            StandardStreams.write(renderComparison(comparison, container: name, rebuilt: tag))
            return comparison.isEquivalent ? 0 : 1
        } catch {
            throw CommandFailure(message: "\(error)")
        }
    }
}
