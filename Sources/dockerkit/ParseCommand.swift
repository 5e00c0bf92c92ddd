import Support
import DockerfileSyntax

/// `dockerkit parse [--format json|commands|dump|source] [FILE|-]`
enum ParseCommand {
    static let valueOptions: [String] = ["--format", "--max-input-size"]
    static let flagOptions: [String] = []
    static let usage = "usage: dockerkit parse [--format json|commands|dump|source] [--max-input-size SIZE] [FILE|-]"

    static func run(_ arguments: [String]) throws(UsageError) -> Int32 {
        let options = try CommandLineArguments(arguments, valueOptions: valueOptions, flagOptions: flagOptions)
        let format = options.value("--format") ?? "json"
        guard ["json", "commands", "dump", "source"].contains(format) else {
            throw UsageError(message: "unknown format \(format); expected json, commands, dump or source")
        }
        guard options.positional.count <= 1 else { throw UsageError(message: usage) }
        let path = options.positional.first ?? "Dockerfile"
        let limit = try options.value("--max-input-size").map { (size: String) throws(UsageError) in try parseByteSize(size, option: "--max-input-size") } ?? defaultInputLimit
        let tree = DockerfileParser.parse(try readDockerfile(path, limit: limit))
        let displayName = path == "-" ? "<stdin>" : path
        switch format {
        case "source":
            tree.printedSource(inPiecesOf: 1 << 16) { StandardStreams.writeBytes($0) }
        case "dump":
            if tree.errors.isEmpty { StandardStreams.write(tree.buildKitDump() + "\n") }
        case "commands":
            if tree.errors.isEmpty {
                for line in tree.buildKitCommandLines() { StandardStreams.write(line + "\n") }
            }
        default:
            StandardStreams.write(tree.jsonDocument() + "\n")
        }
        StandardStreams.flush()
        // dump and commands are views of BuildKit's parser, which accepts what only its frontend refuses later.
        let errors = format == "json" ? tree.errors + tree.instructionErrors() : tree.errors
        for error in errors {
            StandardStreams.error("\(displayName):\(error.range.start.line):\(error.range.start.column): error: \(error.message)".escapingControlCharacters() + "\n")
        }
        return errors.isEmpty ? 0 : 1
    }
}
