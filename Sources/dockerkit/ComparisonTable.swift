import ImageHistory
import Support

/// The table `reverse --build` prints.
extension ReverseCommand {
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
            for noise in layer.noise.prefix(5) { output += "         (builder, not counted) \(noise)\n" }
        }
        for layer in comparison.layers { row(layer, label: String(layer.number), instruction: String(layer.instruction.prefix(60))) }
        row(comparison.filesystem, label: "all", instruction: "the final filesystem (decides, with the fields)")
        output += comparison.isEquivalent ? "\nequivalent\n" : "\nNOT equivalent\n"
        return output
    }
}
