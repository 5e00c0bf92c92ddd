import ImageHistory
import Support

/// `reverse --build`: building the reversed Dockerfile, and the tables that compare the result.
extension ReverseCommand {
    /// Writes the Dockerfile into the context and builds it as `tag`.
    static func rebuild(_ dockerfile: String, in directory: String, tag: String, buildArguments: [String], options: CommandLineArguments) throws(CommandFailure) {
        let dockerfilePath = FilePath.appending("Dockerfile", to: directory)
        do {
            try SafeFileWriter.create(Array(dockerfile.utf8), at: dockerfilePath, mode: 0o644)
        } catch {
            throw CommandFailure(message: error.message)
        }
        StandardStreams.error("dockerkit reverse: wrote \(dockerfilePath); building it\n")
        if !buildArguments.isEmpty {
            StandardStreams.error("dockerkit reverse: building with \(buildArguments.map { "--build-arg \($0)" }.joined(separator: " ")), as the Dockerfile says\n")
        }
        let status = try BuildCommand.build(context: directory, dockerfile: nil, tags: [tag], buildArguments: buildArguments, network: options.value("--network"),
                                            engine: options.value("--engine"), builder: nil, noCache: options.has("--no-cache"))
        guard status == 0 else { throw CommandFailure(message: "dockerkit reverse: error: the reversed Dockerfile did not build (exit \(status))") }
    }

    /// The verification table: config fields, layers, then the final filesystem, which decides with the fields.
    static func renderComparison(_ comparison: ImageComparison, original: String, rebuilt: String) -> String {
        var output = "\(original) vs \(rebuilt)\n\nFIELD         EQUAL\n"
        for field in comparison.fields {
            let equal = "yes" + (field.noise.map { " (builder, not counted: \($0))" } ?? "")
            output += padded(field.field, to: 14) + (field.isEqual ? equal : "NO: \(field.original) ≠ \(field.rebuilt)") + "\n"
        }
        output += "\nLAYER  FILES  EQUAL  CREATED BY\n"
        if let note = comparison.layerCountNote { output += "(\(note): only the final filesystems are compared)\n" }
        func row(_ layer: ImageComparison.LayerRow, label: String, instruction: String) {
            output += padded(label, to: 7) + padded(String(layer.fileCount), to: 7) + (layer.isEqual ? "yes    " : "NO     ") + instruction + "\n"
            for difference in layer.differences.prefix(10) { output += "         \(difference)\n" }
            if layer.differences.count > 10 { output += "         (\(layer.differences.count) differ in all)\n" }
            for noise in layer.noise.prefix(5) { output += "         (builder, not counted) \(noise)\n" }
        }
        for layer in comparison.layers { row(layer, label: String(layer.number), instruction: String(layer.instruction.prefix(60))) }
        row(comparison.filesystem, label: "all", instruction: "the final filesystem (decides, with the fields)")
        let fields = comparison.fields.filter { !$0.isEqual }.count
        let layers = comparison.layers.filter { !$0.isEqual }.count
        output += "\nTOTAL: \(fields) of \(comparison.fields.count) config fields, \(layers) of \(comparison.layers.count) layers and "
            + "\(comparison.filesystem.differences.count) of \(comparison.filesystem.fileCount) files of the final filesystem differ\n"
        output += comparison.isEquivalent ? "\nequivalent\n" : "\nNOT equivalent\n"
        return output
    }
}

extension ReverseCommand {
    /// The container's table: package sets first, then the files (builder noise listed apart).
    static func renderComparison(_ comparison: ContainerComparison, container: String, rebuilt: String) -> String {
        var output = "container \(container.escapingControlCharacters()) vs \(rebuilt)\n\nPACKAGES  COUNT  EQUAL\n"
        for row in comparison.packages {
            output += padded(row.kind, to: 10) + padded(String(row.count), to: 7) + (row.differences.isEmpty ? "yes" : "NO") + "\n"
            for difference in row.differences.prefix(10) { output += "          \(difference.escapingControlCharacters())\n" }
        }
        output += "\nFILES  EQUAL\n" + padded(String(comparison.fileCount), to: 7) + (comparison.differences.isEmpty ? "yes" : "NO") + "\n"
        for difference in comparison.differences.prefix(20) { output += "         \(difference.escapingControlCharacters())\n" }
        if comparison.differences.count > 20 { output += "         (\(comparison.differences.count) differ in all)\n" }
        for noise in comparison.noise.prefix(5) { output += "         (engine, not counted) \(noise.escapingControlCharacters())\n" }
        let packages = comparison.packages.reduce(0) { $0 + $1.differences.count }
        output += "\nTOTAL: \(packages) packages and \(comparison.differences.count) of \(comparison.fileCount) files differ\n"
        output += comparison.isEquivalent ? "\nequivalent\n" : "\nNOT equivalent\n"
        return output
    }
}
