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

    /// ENV names of the instruction's stage before it, and every ARG before it. Asked in file order (as rules
    /// visit RUNs), the ARGs are read once for the whole file; the stage's ENVs are found by binary search.
    final class KnownVariables {
        private let file: LintedFile
        private let argPositions: [Int]
        private let envPositions: [Int]
        private var argCursor = 0
        private var argNames = Set<String>()

        init(_ file: LintedFile) {
            self.file = file
            argPositions = file.instructionIndices(of: .arg)
            envPositions = file.instructionIndices(of: .env)
        }

        func before(_ index: Int) -> Set<String> {
            if argCursor > 0, argPositions[argCursor - 1] >= index {
                argCursor = 0
                argNames = []
            }
            while argCursor < argPositions.count, argPositions[argCursor] < index {
                if let arg = ArgInstruction(file.instructions[argPositions[argCursor]]) { argNames.formUnion(arg.definitions.map(\.name)) }
                argCursor += 1
            }
            var names = argNames
            let stage = file.stage(of: index)?.instructionIndices ?? 0..<index
            var position = Self.firstIndex(in: envPositions, notBelow: stage.lowerBound)
            while position < envPositions.count, envPositions[position] < index {
                if let env = KeyValueInstruction(file.instructions[envPositions[position]]) { names.formUnion(env.pairs.map(\.key.text)) }
                position += 1
            }
            return names
        }

        private static func firstIndex(in sorted: [Int], notBelow value: Int) -> Int {
            var low = 0
            var high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < value { low = middle + 1 } else { high = middle }
            }
            return low
        }
    }
}
