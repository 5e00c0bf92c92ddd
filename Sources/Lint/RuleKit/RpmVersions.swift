import DockerfileSyntax
import Shell

/// hadolint's reading of yum/dnf package versions (`name-1.2.3`), shared by DL3033 and DL3041.
enum RpmVersions {
    static func isVersionLike(_ parts: ArraySlice<Substring>) -> Bool {
        guard !parts.isEmpty else { return false }
        return parts.allSatisfy { $0.utf8.allSatisfy(isVersionByte) } && parts.contains { $0.first?.isNumber == true }
    }

    /// ASCII letters and digits and `.~^_:+`.
    private static func isVersionByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): return true
        case UInt8(ascii: "."), UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "+"): return true
        default: return false
        }
    }

    /// Whether a package names a version; a `${VAR}` counts when VAR is an ENV of the stage or an ARG.
    static func isPinned(_ package: String, knownVariables: () -> Set<String>) -> Bool {
        let parts = package.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count <= 1 { return false }
        if package.hasSuffix(".rpm") { return true }
        if package.contains("$") { return knownVariables().contains { package.contains("${\($0)}") } }
        return isVersionLike(parts.dropFirst())
    }

    /// Packages of `NAME install` (modules and groups excluded) and modules of `NAME module install`.
    /// `knownVariables` is asked only for packages that use a variable: it scans the file, so it stays rare.
    static func unpinned(_ commands: [ShellCommand], names: [String], knownVariables: () -> Set<String>) -> Bool {
        for command in commands where names.contains(command.baseName) && command.argumentValues.contains("install") {
            let isModule = command.argumentValues.contains("module")
            if command.argumentValues.contains("group") && !isModule { continue }
            let packages = command.nonFlagArguments(droppingValuesOf: []).map(\.value).filter { $0 != "install" && $0 != "module" }
            for package in packages {
                if isModule ? !package.contains(":") : !isPinned(package, knownVariables: knownVariables) { return true }
            }
        }
        return false
    }

    /// ENV names of the instruction's stage before it, and every ARG before it.
    static func knownVariables(before index: Int, in file: LintedFile) -> Set<String> {
        var names = Set<String>()
        for position in file.instructionIndices(of: .arg) {
            guard position < index else { break }
            if let arg = ArgInstruction(file.instructions[position]) { names.formUnion(arg.definitions.map(\.name)) }
        }
        let stage = file.stage(of: index)?.instructionIndices ?? 0..<index
        for position in file.instructionIndices(of: .env) where stage.contains(position) && position < index {
            if let env = KeyValueInstruction(file.instructions[position]) { names.formUnion(env.pairs.map(\.key.text)) }
        }
        return names
    }
}
