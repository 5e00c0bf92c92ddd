import Foundation
import ImageHistory

/// `dockerkit reverse`: a Dockerfile rebuilt from an image's history and config.
enum ReverseCommand {
    static let usage = """
        usage: dockerkit reverse IMAGE [--engine docker|podman|PATH]
               dockerkit reverse --history FILE|- [--inspect FILE]
               dockerkit reverse --archive FILE.tar
               options: --base IMAGE, --base-layers N

        Reads the image through the engine client (docker image inspect, docker history), or offline from
        `docker history --no-trunc --format '{{json .}}'` output, `docker image inspect` output, or a `docker save`
        archive, and prints a Dockerfile that rebuilds it.
        """

    static func run(_ arguments: [String]) throws(CommandFailure) -> Int32 {
        let options: CommandLineArguments
        do {
            options = try CommandLineArguments(arguments, valueOptions: ["--history", "--inspect", "--archive", "--base", "--base-layers", "--engine"],
                                               flagOptions: ["--help"])
        } catch {
            throw CommandFailure(message: "dockerkit reverse: error: \(error.message)\n\(usage)")
        }
        if options.has("--help") {
            StandardStreams.write(usage + "\n")
            return 0
        }
        var recovery = RecoveryOptions(base: options.value("--base"))
        if let layers = options.value("--base-layers") {
            guard let count = Int(layers), count >= 0 else { throw CommandFailure(message: "dockerkit reverse: error: --base-layers takes a number, not '\(layers)'") }
            recovery.baseLayers = count
        }
        let metadata: ImageMetadata
        let sourceName: String
        do {
            if let archive = options.value("--archive") {
                metadata = try ImageArchiveReader.read(try readFile(archive), source: archive)
                sourceName = metadata.reference.isEmpty ? archive : "\(metadata.reference) (\(archive))"
            } else if let history = options.value("--history") {
                var image = options.value("--inspect").map { _ in ImageMetadata() } ?? ImageMetadata()
                if let inspect = options.value("--inspect") {
                    image = try ImageMetadataDecoder.decodeInspect(try readFile(inspect), source: inspect)
                }
                image.history = try ImageMetadataDecoder.decodeHistoryLines(try readFile(history), source: history == "-" ? "<stdin>" : history)
                metadata = image
                sourceName = image.reference.isEmpty ? (history == "-" ? "<stdin>" : history) : image.reference
            } else if let reference = options.positional.first, options.positional.count == 1 {
                metadata = try EngineClient(engine: options.value("--engine")).imageMetadata(reference)
                sourceName = reference
            } else {
                throw CommandFailure(message: "dockerkit reverse: error: name an IMAGE, or give --history, --inspect or --archive\n\(usage)")
            }
        } catch let error as ImageInputError {
            throw CommandFailure(message: "\(error)")
        } catch let error as CommandFailure {
            throw error
        } catch {
            throw CommandFailure(message: "dockerkit reverse: error: \(error)")
        }
        StandardStreams.write(DockerfileRecovery.recover(metadata, sourceName: sourceName, options: recovery))
        return 0
    }

    private static func readFile(_ path: String) throws(ImageInputError) -> [UInt8] {
        if path == "-" {
            return [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw ImageInputError(source: path, message: "no such file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImageInputError(source: path, message: "cannot be read")
        }
        return [UInt8](data)
    }
}
